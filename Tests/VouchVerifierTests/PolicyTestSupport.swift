import Foundation
import Testing
import VouchVerifier

/// The repository's `Policies/` directory, found from this file's path so
/// that no test resources are needed.
let shippedPoliciesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // VouchVerifierTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // package root
    .appendingPathComponent("Policies", isDirectory: true)

/// A throw-away directory named `Policies`, so errors read `Policies/<file>`.
final class TemporaryPolicyDirectory {
    let root: URL
    let url: URL

    init() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("vouch-policy-tests-\(UUID().uuidString)", isDirectory: true)
        url = root.appendingPathComponent("Policies", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }

    func write(_ name: String, _ value: LogicValue) throws {
        try write(name, value.description)
    }
}

/// A valid policy object (alcohol-uk), with fields replaced or removed.
func policyObject(
    id: String = "alcohol-uk", replacing replacements: [String: LogicValue] = [:], removing removed: [String] = []
) -> LogicValue {
    var members: [String: LogicValue] = [
        "id": .string(id), "title": "Sale of alcohol (UK)", "accept": ["age", "identity"],
        "require": ["age_over": 18], "max_token_age": 31_536_000, "clock_skew": 300, "status": "required",
        "max_status_age": 86_400, "single_use": false, "issuers": nil, "disclose": ["age_over_18"], "rule": nil,
        "log_receipt": "required",
    ]
    for (key, value) in replacements { members[key] = value }
    for key in removed { members[key] = nil }
    return .object(members)
}

/// Lints a directory holding exactly `files` (name to contents).
func lint(_ files: [String: String]) throws -> [PolicyError] {
    let directory = try TemporaryPolicyDirectory()
    for (name, text) in files { try directory.write(name, text) }
    return PolicyStore.lint(directory: directory.url)
}

/// Lints one `alcohol-uk.json` made from `policy`.
func lintOne(_ policy: LogicValue, name: String = "alcohol-uk.json") throws -> [PolicyError] {
    try lint([name: policy.description])
}

/// Parses a JSON text that the test itself wrote.
func json(_ text: String) -> LogicValue {
    do {
        return try LogicValue(json: text)
    } catch {
        Issue.record("test JSON does not parse: \(error)")
        return .null
    }
}

/// Validates and evaluates a rule written as JSON against data written as JSON.
func evaluate(_ rule: String, _ data: String = "{}") throws(LogicError) -> LogicValue {
    try JSONLogic.evaluate(json(rule), data: json(data))
}

/// The `LogicError` a throwing expression throws, or `nil` (another error is recorded as an issue).
func logicError(_ body: () throws -> some Any) -> LogicError? {
    do {
        _ = try body()
        return nil
    } catch let error as LogicError {
        return error
    } catch {
        Issue.record("expected a LogicError, got \(error)")
        return nil
    }
}
