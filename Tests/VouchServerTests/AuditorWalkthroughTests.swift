import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VouchCore
import VouchCrypto
import VouchLog
import VouchServer
import VouchStore

/// What an auditor does, end to end: fetch and verify checkpoints, prove a
/// code is in the log, prove the log only grew, and catch a tampered database
/// with `vouch log verify`.
@Suite struct AuditorWalkthroughTests {
    /// The `vouch` executable next to the test bundle.
    static var vouch: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("vouch")
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    func issue(_ client: any TestClientProtocol, _ f: ServerFixture, birthDate: String = "2000-01-01") async throws
        -> String
    {
        let r = try await client.post("/v1/attestations/age", json: #"{"birth_date": "\#(birthDate)", "thresholds": [18]}"#,
                                      key: f.adminKey)
        return try #require((r.json["attestations"] as? [[String: Any]])?.first?["token"] as? String)
    }

    func signedCheckpoint(_ client: any TestClientProtocol, _ verifier: NoteVerifier) async throws -> (String, Checkpoint) {
        let note = try await client.execute(uri: "/v1/log/checkpoint", method: .get).text
        return (note, try Checkpoint.open(note: Array(note.utf8), verifiers: [verifier], origin: verifier.name))
    }

    static func hash(_ value: Any?) -> [UInt8] {
        (value as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? []
    }

    @Test func auditorProvesACodeAndGrowthAndCatchesTampering() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let vouch = Self.vouch.path
        guard FileManager.default.isExecutableFile(atPath: vouch) else {
            Issue.record("no vouch executable at \(vouch): build with --build-tests")
            return
        }
        let database = fixture.directory.appendingPathComponent("data/vouch.sqlite").path

        try await fixture.application().test(.router) { client in
            // Yesterday: some codes were issued, and the auditor kept the checkpoint.
            let code = try await issue(client, fixture)
            for _ in 0..<4 { _ = try await issue(client, fixture, birthDate: "1990-05-06") }
            // The key comes out of band (here: the server's own, compared with what it serves).
            let vkey = try await client.execute(uri: "/v1/log/key", method: .get).text
            let verifier = try NoteVerifier(vkey: vkey.trimmingCharacters(in: .newlines))
            #expect(verifier.vkey == fixture.services.writer.verifierKey)
            let (_, yesterday) = try await signedCheckpoint(client, verifier)
            #expect(yesterday.size == 6, "the receipt key's key_added entry, then 5 codes")

            // Today: more codes.
            for _ in 0..<6 { _ = try await issue(client, fixture, birthDate: "1985-01-02") }
            let (todayNote, today) = try await signedCheckpoint(client, verifier)
            #expect(today.size == 12)

            // 1. The code is in the log: find its entry by the hash of its COSE bytes (with the empty
            //    unprotected header it was signed with, not the receipt it carries since), prove it.
            let tokenHash = Digest.sha256(try DecodedAttestation(text: code).sign1.loggedBytes)
            let page = try await client.execute(uri: "/v1/log/entries?start=0&end=\(today.size)", method: .get,
                                                headers: [.authorization: "Bearer \(fixture.adminKey)"])
            let entries = try #require(page.json["entries"] as? [[String: Any]])
            let found = try #require(entries.first { $0["token"] as? String == tokenHash.hexString })
            let index = try #require(found["index"] as? Int)
            let entry = Self.hash(found["entry"])
            #expect(try LogEntry(cbor: entry).token == tokenHash)
            let inclusion = try await client.execute(uri: "/v1/log/proof/inclusion?index=\(index)&size=\(today.size)",
                                                     method: .get)
            let path = (inclusion.json["proof"] as? [Any] ?? []).map(Self.hash)
            #expect(MerkleProof.verifyInclusion(leafHash: MerkleHash.leaf(entry), index: index, size: today.size,
                                                proof: path, root: today.rootHash))
            #expect(inclusion.json["checkpoint"] as? String == todayNote)
            // A different entry does not pass with that path.
            #expect(!MerkleProof.verifyInclusion(leafHash: MerkleHash.leaf(entry + [0]), index: index, size: today.size,
                                                 proof: path, root: today.rootHash))

            // 2. The log only grew since yesterday: today's tree extends yesterday's.
            let consistency = try await client.execute(
                uri: "/v1/log/proof/consistency?from=\(yesterday.size)&to=\(today.size)", method: .get)
            let proof = (consistency.json["proof"] as? [Any] ?? []).map(Self.hash)
            #expect(MerkleProof.verifyConsistency(from: yesterday.size, to: today.size, oldRoot: yesterday.rootHash,
                                                  newRoot: today.rootHash, proof: proof))
            // A rewritten yesterday (another root at the same size) is caught.
            var forged = yesterday.rootHash
            forged[0] ^= 1
            #expect(!MerkleProof.verifyConsistency(from: yesterday.size, to: today.size, oldRoot: forged,
                                                   newRoot: today.rootHash, proof: proof))

            // 3. The untouched store verifies.
            let clean = try Self.run(vouch, ["log", "verify", "--data-dir", fixture.directory.appendingPathComponent("data").path])
            #expect(clean.status == 0, "\(clean.output)")
            #expect(clean.output.contains("log OK: 12 entries"), "\(clean.output)")

            // 4. Someone with write access edits the code's entry (triggers dropped) ...
            let sqlite = "/usr/bin/sqlite3"
            guard FileManager.default.isExecutableFile(atPath: sqlite) else {
                Issue.record("no \(sqlite): apt-get install sqlite3")
                return
            }
            // (Blobs go through hex: SQLite's || would turn them into text.)
            let stored = try Self.run(sqlite, [database, "SELECT hex(entry) FROM log_entries WHERE idx = \(index);"])
            var bytes = try #require([UInt8](hexString: stored.output.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(bytes == entry)
            bytes[bytes.count - 1] ^= 0x01
            let edit = try Self.run(sqlite, [database, """
                DROP TRIGGER log_entries_no_update;
                UPDATE log_entries SET entry = X'\(bytes.hexString)' WHERE idx = \(index);
                """])
            #expect(edit.status == 0, "\(edit.output)")
            let tampered = try Self.run(vouch, ["log", "verify", "--data-dir", fixture.directory.appendingPathComponent("data").path])
            #expect(tampered.status == 1, "\(tampered.output)")
            #expect(tampered.output.contains("entry \(index): leaf_hash_mismatch"), "\(tampered.output)")
            // ... and the served entry no longer proves against the signed checkpoint.
            let served = try await client.execute(uri: "/v1/log/entries?start=\(index)&end=\(index + 1)", method: .get,
                                                  headers: [.authorization: "Bearer \(fixture.adminKey)"])
            let edited = Self.hash((served.json["entries"] as? [[String: Any]])?.first?["entry"])
            #expect(edited != entry)
            #expect(!MerkleProof.verifyInclusion(leafHash: MerkleHash.leaf(edited), index: index, size: today.size,
                                                 proof: path, root: today.rootHash))

            // 5. Editing one stored tile hash instead is caught at that index too.
            let other = (index + 3) % today.size
            let tileHex = try Self.run(sqlite, [database, "SELECT hex(hashes) FROM log_tiles WHERE level = 0 AND idx = 0;"])
            var hashes = try #require([UInt8](hexString: tileHex.output.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(hashes.count == 32 * today.size)
            hashes[32 * other] ^= 0x80
            let tile = try Self.run(sqlite, [database,
                                            "UPDATE log_tiles SET hashes = X'\(hashes.hexString)' WHERE level = 0 AND idx = 0;"])
            #expect(tile.status == 0, "\(tile.output)")
            let both = try Self.run(vouch, ["log", "verify", "--json", "--data-dir",
                                            fixture.directory.appendingPathComponent("data").path])
            #expect(both.status == 1)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(both.output.utf8)) as? [String: Any])
            let problems = report["problems"] as? [[String: Any]] ?? []
            let leafProblems = Set(problems.filter { $0["code"] as? String == "leaf_hash_mismatch" }.compactMap { $0["index"] as? Int })
            #expect(leafProblems == [index, other], "\(both.output)")
        }
    }
}
