import Foundation
import Testing

/// `vouch log verify|proof|show` on a data directory: exit codes 0 ok, 1 problems, 2 usage.
@Suite(.serialized) struct LogCommandTests {
    let dir: URL
    var data: String { dir.appendingPathComponent("data").path }
    var dataArgs: [String] { ["--data-dir", data] }

    init() throws { dir = try CLI.temporaryDirectory() }

    /// Issues one age code per call through `vouch issue` (each one a log entry and a checkpoint).
    func issue(_ count: Int) throws -> [String] {
        try (0..<count).map { _ in
            let result = try CLI.run(["issue", "age", "--birth-date", "2000-01-01", "--threshold", "18"] + dataArgs)
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], "\(result.stdout)")
    }

    @Test func verifyProveAndShowAGrowingLog() throws {
        #expect(try CLI.run(["init"] + dataArgs).status == 0)
        let codes = try issue(3)

        let verify = try CLI.run(["log", "verify"] + dataArgs)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // Entry 0 is the receipt key's key_added (logged before the first code's receipt), then the 3 codes.
        #expect(verify.stdout.contains("log OK: 4 entries"), "\(verify.stdout)")

        let proof = try CLI.run(["log", "proof", "--index", "1"] + dataArgs)
        #expect(proof.status == 0, "\(proof.stderr)")
        let proved = try json(proof)
        #expect(proved["verified"] as? Bool == true)
        #expect(proved["tree_size"] as? Int == 4)
        let saved = dir.appendingPathComponent("yesterday.checkpoint")
        try #require(proved["latest_checkpoint"] as? String).write(to: saved, atomically: true, encoding: .utf8)

        // At an older size, without a checkpoint of its own there, the proof is anchored by consistency.
        let older = try json(try CLI.run(["log", "proof", "--index", "0", "--size", "2"] + dataArgs))
        #expect(older["verified"] as? Bool == true)

        _ = try issue(2)
        let grown = try CLI.run(["log", "proof", "--from-checkpoint", saved.path] + dataArgs)
        #expect(grown.status == 0, "\(grown.stdout)\(grown.stderr)")
        let consistency = try json(grown)
        #expect(consistency["from"] as? Int == 4 && consistency["to"] as? Int == 6)
        #expect(consistency["verified"] as? Bool == true)
        let withSaved = try CLI.run(["log", "verify", "--checkpoint", saved.path] + dataArgs)
        #expect(withSaved.status == 0, "\(withSaved.stdout)")
        #expect(withSaved.stdout.contains("7 of 7 checkpoints verified"), "\(withSaved.stdout)")

        let show = try CLI.run(["log", "show", "--token", codes[2]] + dataArgs)
        #expect(show.status == 0, "\(show.stderr)")
        let shown = try json(show)
        #expect(shown["index"] as? Int == 3)
        #expect((shown["entry"] as? [String: Any])?["event"] as? String == "issued")
        #expect(shown["verified"] as? Bool == true)
        #expect((shown["later_entries"] as? [Any])?.isEmpty == true && shown["current_state"] as? String == "issued")
        #expect(try CLI.run(["log", "show", "--token", "-"] + dataArgs, input: codes[0] + "\n").status == 0)

        // A code this log never issued: not found, exit 1.
        let elsewhere = try CLI.temporaryDirectory()
        #expect(try CLI.run(["init", "--data-dir", elsewhere.appendingPathComponent("data").path]).status == 0)
        let foreign = try CLI.run(["issue", "age", "--birth-date", "2000-01-01", "--threshold", "18",
                                   "--data-dir", elsewhere.appendingPathComponent("data").path])
        let missing = try CLI.run(["log", "show", "--token", foreign.stdout.trimmingCharacters(in: .whitespacesAndNewlines)]
                                  + dataArgs)
        #expect(missing.status == 1)
        #expect(try json(missing)["found"] as? Bool == false)

        // A checkpoint signed by another log's key is refused, and so is an edited one.
        let otherNote = try #require(try json(try CLI.run(["log", "proof", "--index", "0", "--data-dir",
                                                           elsewhere.appendingPathComponent("data").path]))["latest_checkpoint"] as? String)
        let other = dir.appendingPathComponent("other.checkpoint")
        try otherNote.write(to: other, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["log", "proof", "--from-checkpoint", other.path] + dataArgs).status == 1)
        let badVerify = try CLI.run(["log", "verify", "--checkpoint", other.path] + dataArgs)
        #expect(badVerify.status == 1)
        #expect(badVerify.stdout.contains("checkpoint 6 (size 2): bad_signature"), "\(badVerify.stdout)")
    }

    /// A code suspended then reinstated shows both later entries, each proven, from the data directory
    /// and from the server; a revoked code ends `revoked`; an untouched code has no later entries.
    @Test func showListsLaterStateChanges() async throws {
        let key = try CLI.run(["apikey", "create", "--scope", "issue,revoke,audit"] + dataArgs)
        #expect(key.status == 0, "\(key.stderr)")
        let secret = key.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try await Server.start(dataDirectory: data, in: dir)
        defer { server.stop() }
        var codes: [(id: String, token: String)] = []
        for _ in 0..<3 {
            let issued = try await server.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01", "thresholds": [18]}"#,
                                               key: secret)
            let attestation = try #require((issued["attestations"] as? [[String: Any]])?.first, "\(issued)")
            codes.append((try #require(attestation["id"] as? String), try #require(attestation["token"] as? String)))
        }
        let (changed, untouched, revoked) = (codes[0], codes[1], codes[2])
        for arguments in [[changed.id, "--suspend"], [revoked.id], [changed.id, "--reinstate"]] {
            let result = try CLI.run(["revoke"] + arguments + ["--url", server.url, "--key", secret])
            #expect(result.status == 0, "\(result.stderr)")
        }

        let sources = [dataArgs, ["--url", server.url], ["--url", server.url, "--key", secret]]
        for source in sources {
            let show = try CLI.run(["log", "show", "--token", changed.token] + source)
            #expect(show.status == 0, "\(source): \(show.stdout)\(show.stderr)")
            let shown = try json(show)
            let issuedIndex = try #require(shown["index"] as? Int)
            #expect((shown["entry"] as? [String: Any])?["event"] as? String == "issued")
            #expect(shown["verified"] as? Bool == true && shown["all_verified"] as? Bool == true)
            let later = try #require(shown["later_entries"] as? [[String: Any]], "\(shown)")
            #expect(later.map { $0["event"] as? String } == ["suspended", "reinstated"], "\(source): \(later)")
            let indices = later.compactMap { $0["index"] as? Int }
            #expect(indices.count == 2 && indices.allSatisfy { $0 > issuedIndex } && indices == indices.sorted())
            for entry in later {
                #expect(entry["verified"] as? Bool == true)
                #expect(entry["tree_size"] as? Int == shown["checkpoint_size"] as? Int)
                #expect(entry["root_hash"] as? String == shown["root_hash"] as? String)
                #expect((entry["proof"] as? [String])?.isEmpty == false)
                #expect((entry["entry"] as? [String: Any])?["token"] as? String == shown["token_hash"] as? String)
            }
            #expect(shown["current_state"] as? String == "reinstated")

            let plain = try json(try CLI.run(["log", "show", "--token", untouched.token] + source))
            #expect(plain["verified"] as? Bool == true && plain["all_verified"] as? Bool == true)
            #expect((plain["later_entries"] as? [Any])?.isEmpty == true, "\(plain)")
            #expect(plain["current_state"] as? String == "issued")

            let final = try CLI.run(["log", "show", "--token", revoked.token] + source)
            #expect(final.status == 0, "\(final.stderr)")
            let ended = try json(final)
            #expect((ended["later_entries"] as? [[String: Any]])?.map { $0["event"] as? String } == ["revoked"])
            #expect(ended["current_state"] as? String == "revoked")
        }
    }

    @Test(arguments: [
        ["log", "verify", "--url", "http://127.0.0.1:9", "--data-dir", "x"],
        ["log", "proof"],
        ["log", "proof", "--index", "0", "--from-checkpoint", "f"],
        ["log", "show", "--token", "VCH1:NOTACODE"],
        ["log", "verify", "--url", "ftp://example.invalid"],
        ["log", "verify", "--vkey", "not+a+key"],
    ])
    func usageErrorsExit2(arguments: [String]) throws {
        #expect(try CLI.run(["init"] + dataArgs).status == 0)
        _ = try issue(1)
        let result = try CLI.run(arguments + (arguments.contains("--data-dir") || arguments.contains("--url") ? [] : dataArgs))
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
    }

    @Test func proofOutOfRangeAndEmptyDirectoriesAreUsageErrors() throws {
        let none = try CLI.run(["log", "verify", "--data-dir", dir.appendingPathComponent("nothing").path])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no log"), "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("nothing").path), "nothing is created")
        #expect(try CLI.run(["init"] + dataArgs).status == 0)
        _ = try issue(2)
        #expect(try CLI.run(["log", "proof", "--index", "3"] + dataArgs).status == 2)
        #expect(try CLI.run(["log", "proof", "--index", "0", "--size", "4"] + dataArgs).status == 2)
        #expect(try CLI.run(["log", "proof", "--index", "-1"] + dataArgs).status == 2)
    }
}
