import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog

/// Signed checkpoints travel both ways between us and an independent Python
/// signed-note implementation (`Python/note.py`, `cryptography` from the venv).
@Suite struct NotePythonTests {
    @Test func pythonVerifiesOurCheckpoint() throws {
        let signer = try NoteSigner(name: "vouch.example.org/log", privateKey: PrivateKey.generate(.eddsa))
        let leaves = TestData.leafHashes(300, seed: 5)
        let storage = try MemoryTileStorage(leafHashes: leaves)
        let root = try TileHashReader(storage: storage).treeHash(size: 300)
        let checkpoint = try Checkpoint(origin: "vouch.example.org/log", size: 300, rootHash: root)
        let note = try checkpoint.signed(by: signer)

        let result = try PythonHelper.run("note.py", ["verify", "--vkey", signer.vkey], input: Data(note.utf8))
        try #require(result.status == 0, "python rejected our note: \(result.stderr)")
        let json = try PythonHelper.json(result.stdout)
        #expect(json["text"] as? String == checkpoint.text)
        let parsed = try #require(json["checkpoint"] as? [String: Any])
        #expect(parsed["origin"] as? String == "vouch.example.org/log")
        #expect(parsed["size"] as? Int == 300)
        #expect(parsed["root"] as? String == root.hexString)

        // The check is real: a changed size fails in Python too.
        let tampered = note.replacingOccurrences(of: "\n300\n", with: "\n301\n")
        let rejected = try PythonHelper.run("note.py", ["verify", "--vkey", signer.vkey], input: Data(tampered.utf8))
        #expect(rejected.status == 1)
    }

    @Test func weVerifyPythonsCheckpoint() throws {
        let root = TestData.leafHashes(1, seed: 6)[0]
        let checkpoint = try Checkpoint(origin: "python.example/log", size: 12345, rootHash: root,
                                        extensions: ["extension line"])
        let result = try PythonHelper.run("note.py", ["sign", "--name", "python.example/log"],
                                          input: Data(checkpoint.text.utf8))
        try #require(result.status == 0, "python could not sign: \(result.stderr)")
        let json = try PythonHelper.json(result.stdout)
        let vkey = try #require(json["vkey"] as? String)
        let note = try #require(json["note"] as? String)

        let verifier = try NoteVerifier(vkey: vkey)
        #expect(verifier.name == "python.example/log")
        #expect(try Checkpoint.open(note: Array(note.utf8), verifiers: [verifier], origin: "python.example/log")
            == checkpoint)
        var flipped = Array(note.utf8)
        flipped[3] ^= 0x01
        #expect(throws: LogError(.invalidSignature, "")) { try SignedNote.open(note: flipped, verifiers: [verifier]) }
    }
}
