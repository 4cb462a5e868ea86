import Foundation
import Testing
import VouchCore

/// The command line as a user runs it: exit codes, messages, files.
@Suite(.serialized) struct CLITests {
    let dir: URL
    var dataArgs: [String] { ["--data-dir", dir.appendingPathComponent("data").path] }

    init() throws { dir = try CLI.temporaryDirectory() }

    func initialise() throws {
        let result = try CLI.run(["init"] + dataArgs)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func initCreatesPrivateKeysOnceAndWarns() throws {
        let first = try CLI.run(["init"] + dataArgs)
        #expect(first.status == 0)
        #expect(first.stderr.contains("DEVELOPMENT KEYS"))
        for name in ["root-ca.key.pem", "issuer.key.pem", "log.key.pem"] {
            let path = dir.appendingPathComponent("data/keys/\(name)").path
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name) mode \(String(mode ?? 0, radix: 8))")
        }
        let key = try Data(contentsOf: dir.appendingPathComponent("data/keys/issuer.key.pem"))
        let second = try CLI.run(["init"] + dataArgs)
        #expect(second.status == 0)
        #expect(second.stdout.contains("nothing changed"))
        #expect(try Data(contentsOf: dir.appendingPathComponent("data/keys/issuer.key.pem")) == key)
        #expect(!first.stdout.contains("PRIVATE KEY") && !first.stderr.contains("PRIVATE KEY"), "keys are never printed")
    }

    @Test func halfInitialisedDirectoryIsAnErrorNotAnOverwrite() throws {
        try initialise()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("data/certs/issuer.pem"))
        let result = try CLI.run(["init"] + dataArgs)
        #expect(result.status != 0)
        #expect(result.stderr.contains("issuer.pem"))
    }

    @Test func inspectPrintsHeaderAndClaims() throws {
        try initialise()
        let issued = try CLI.run(["issue", "age", "--birth-date", "2000-01-01", "--threshold", "18"] + dataArgs)
        #expect(issued.status == 0, "\(issued.stderr)")
        let token = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("VCH1:"))
        let inspect = try CLI.run(["inspect", token])
        #expect(inspect.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: inspect.stdoutData) as? [String: Any])
        let claims = try #require(json["claims"] as? [String: Any])
        #expect(claims["vct"] as? String == "age")
        #expect(claims["age_over_18"] as? Bool == true)
        #expect((json["protected"] as? [String: Any])?["alg_name"] as? String == "ES256")
        #expect(json["verified"] as? Bool == false)
        // From standard input too.
        #expect(try CLI.run(["inspect", "-"], input: token + "\n").status == 0)
    }

    @Test(arguments: [
        ("5012345678900", "unrecognized"), ("VCH1:ABC", "malformed"), ("VCH1:", "malformed"),
        ("5000 x A", "payload_too_large"),
    ])
    func inspectRejectsBadInputWithExitCode2(text: String, reason: String) throws {
        let input = text == "5000 x A" ? String(repeating: "A", count: 5000) : text
        let result = try CLI.run(["inspect", input])
        #expect(result.status == 2)
        #expect(result.stderr.contains(reason), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func usageErrorsExitWith2() throws {
        #expect(try CLI.run(["inspect"]).status == 2)
        #expect(try CLI.run(["no-such-command"]).status == 2)
        #expect(try CLI.run(["verify", "x"]).status == 2)  // --policy missing
        #expect(try CLI.run(["--help"]).status == 0)
    }

    @Test("serve: a setup it cannot start with, or a bad setting, exits 2 naming what is wrong")
    func serveSetupErrorsExitWith2() throws {
        let missing = dir.appendingPathComponent("no-policies").path
        let noPolicies = try CLI.run(["serve", "--listen", "127.0.0.1:1"] + dataArgs,
                                     environment: ["VOUCH_POLICIES_DIR": missing])
        #expect(noPolicies.status == 2)
        #expect(noPolicies.stderr.contains("vouch: cannot start:") && noPolicies.stderr.contains("no-policies"),
                "\(noPolicies.stderr)")
        let badLevel = try CLI.run(["serve"] + dataArgs, environment: ["LOG_LEVEL": "loud"])
        #expect(badLevel.status == 2)
        #expect(badLevel.stderr.contains("LOG_LEVEL: must be one of"), "\(badLevel.stderr)")
        let badRole = try CLI.run(["serve", "--role", "cashier"] + dataArgs)
        #expect(badRole.status == 2)
        #expect(badRole.stderr.contains("--role: must be issuer, terminal, all or witness"), "\(badRole.stderr)")
        let config = dir.appendingPathComponent("vouch.json")
        try Data(#"{"listen": "127.0.0.1:8080", "rate_limit": "fast"}"#.utf8).write(to: config)
        let badFile = try CLI.run(["serve", "--config", config.path] + dataArgs)
        #expect(badFile.status == 2)
        #expect(badFile.stderr.contains(#"\#(config.path): key "rate_limit" (VOUCH_RATE_LIMIT): must be a number, not string"#),
                "\(badFile.stderr)")
        let check = try CLI.run(["config", "check", config.path])
        #expect(check.status == 2 && check.stderr.contains(#"key "rate_limit""#), "\(check.stderr)")
        let viaVariable = try CLI.run(["policy", "list"], environment: ["VOUCH_CONFIG": config.path])
        #expect(viaVariable.status == 2, "a bad VOUCH_CONFIG stops every command")
    }

    @Test func issueThenVerifyThroughAPipe() throws {
        try initialise()
        // A static age code: age sales require holder binding, so the till refuses it.
        let issued = try CLI.run(["issue", "age", "--birth-date", "2000-01-01", "--threshold", "18"] + dataArgs)
        let printed = try CLI.run(["verify", "-", "--policy", "alcohol-uk"] + dataArgs, input: issued.stdout)
        #expect(printed.status == 1, "\(printed.stdout) \(printed.stderr)")
        #expect(printed.stdout.hasPrefix("REJECT not_holder_bound"), "\(printed.stdout)")
        // The same, bound to a wallet and shown from it as a presentation: accepted.
        let wallet = dir.appendingPathComponent("wallet").path
        let bound = try CLI.run(["issue", "age", "--birth-date", "2000-01-01", "--threshold", "18", "--wallet", wallet]
                                + dataArgs)
        #expect(bound.status == 0, "\(bound.stderr)")
        let shown = try CLI.run(["wallet", "present", "--dir", wallet, "--keep"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.hasPrefix("VCP1:"))
        let verify = try CLI.run(["verify", "-", "--policy", "alcohol-uk"] + dataArgs, input: shown.stdout)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        #expect(verify.stdout.hasPrefix("ACCEPT"))
        let again = try CLI.run(["wallet", "present", "--dir", wallet])
        let us = try CLI.run(["verify", "-", "--policy", "alcohol-us", "--json"] + dataArgs, input: again.stdout)
        #expect(us.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: us.stdoutData) as? [String: Any])
        #expect(json["reason"] as? String == "requirement_not_met")
        #expect(json["decision"] as? String == "reject")
    }

    @Test func verifyReasonsAndExitCodes() throws {
        try initialise()
        let ean = try CLI.run(["verify", "5012345678900", "--policy", "alcohol-uk"] + dataArgs)
        #expect(ean.status == 1)
        #expect(ean.stdout.contains("unrecognized"))
        let unknown = try CLI.run(["verify", "5012345678900", "--policy", "beer-on-mars"] + dataArgs)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown policy"))
        let issued = try CLI.run(["issue", "age", "--birth-date", "2000-01-01", "--threshold", "18"] + dataArgs)
        // Under a discount policy (static codes accepted), expiry comes before the type check.
        let later = try CLI.run(["verify", issued.stdout, "--policy", "student-discount", "--at", "2099-01-01T00:00:00Z"]
                                + dataArgs)
        #expect(later.status == 1)
        #expect(later.stdout.contains("expired"))
        let badTime = try CLI.run(["verify", issued.stdout, "--policy", "alcohol-uk", "--at", "yesterday"] + dataArgs)
        #expect(badTime.status == 2)
    }

    @Test func issueRejectsBadInputNamingTheField() throws {
        try initialise()
        let bad = try CLI.run(["issue", "age", "--birth-date", "2000-02-30"] + dataArgs)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("birth_date"))
        #expect(!bad.stderr.contains("2000-02-30"), "the birth date is not echoed")
        let child = try CLI.run(["issue", "age", "--birth-date", "2020-01-01"] + dataArgs)
        #expect(child.status == 1)
        let nationality = try CLI.run(["issue", "identity", "--given-name", "A", "--family-name", "B",
                                       "--birth-date", "1990-01-01", "--nationality", "XX"] + dataArgs)
        #expect(nationality.status == 2)
        #expect(nationality.stderr.contains("nationality"))
        let noKeys = try CLI.run(["issue", "age", "--birth-date", "2000-01-01", "--data-dir", dir.appendingPathComponent("empty").path])
        #expect(noKeys.status == 2)
        #expect(noKeys.stderr.contains("vouch init"))
    }

    @Test func policyLintAndTrustList() throws {
        let lint = try CLI.run(["policy", "lint"])
        #expect(lint.status == 0, "\(lint.stderr)")
        let bad = dir.appendingPathComponent("Policies")
        try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
        try Data(#"{"id": "x", "title": "X", "colour": "red"}"#.utf8).write(to: bad.appendingPathComponent("x.json"))
        let failing = try CLI.run(["policy", "lint", bad.path])
        #expect(failing.status == 2)
        #expect(failing.stderr.contains("x.json"))
        #expect(failing.stderr.contains("colour"))

        try initialise()
        let trust = try CLI.run(["trust", "list", "--json"] + dataArgs)
        #expect(trust.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: trust.stdoutData) as? [String: Any])
        let issuers = try #require(json["issuers"] as? [[String: Any]])
        #expect(issuers.count == 1)
        #expect(issuers.first?["trusted"] as? Bool == true)
        // vouch init named the data directory's receipt key, with the log origin.
        let receiptKeys = try #require(json["receipt_keys"] as? [[String: Any]])
        #expect(receiptKeys.map { $0["origin"] as? String } == ["vouch.localhost/log"], "\(receiptKeys)")
    }
}
