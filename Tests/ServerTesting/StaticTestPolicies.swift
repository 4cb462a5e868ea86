public import Foundation

/// A policy directory for server tests: the shipped policies plus two test policies that take static codes.
///
/// The shipped age policies require holder binding (format.md §6), and the
/// HTTP issuance routes these tests drive make static codes. Tests of
/// revocation, sync and routing therefore verify under `static-age-18` and
/// `static-age-21`: alcohol-uk and alcohol-us with `holder_binding`
/// `"optional"` and nothing else changed. The shipped policies stay as they
/// are and are still loaded (a static code under them is `not_holder_bound`).
public enum StaticTestPolicies {
    public static func directory(in parent: URL) throws -> URL {
        let directory = parent.appendingPathComponent("Policies")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let shipped = ServerFixture.packageRoot.appendingPathComponent("Policies")
        for name in try FileManager.default.contentsOfDirectory(atPath: shipped.path) where name.hasSuffix(".json") {
            try FileManager.default.copyItem(at: shipped.appendingPathComponent(name),
                                             to: directory.appendingPathComponent(name))
        }
        for (from, to) in [("alcohol-uk", "static-age-18"), ("alcohol-us", "static-age-21")] {
            var text = try String(contentsOf: shipped.appendingPathComponent(from + ".json"), encoding: .utf8)
            text = text.replacingOccurrences(of: "\"id\": \"\(from)\"", with: "\"id\": \"\(to)\"")
                .replacingOccurrences(of: "\"holder_binding\": \"required\"", with: "\"holder_binding\": \"optional\"")
            try Data(text.utf8).write(to: directory.appendingPathComponent(to + ".json"))
        }
        return directory
    }
}
