import Testing
import VouchCore
import VouchCrypto
import VouchLog

/// C2SP tlog-checkpoint bodies.
@Suite struct CheckpointTests {
    static let root = [UInt8](hex: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
    static let rootBase64 = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="

    @Test func formatsAndParses() throws {
        let checkpoint = try Checkpoint(origin: "vouch.example.org/log", size: 8, rootHash: Self.root)
        #expect(checkpoint.text == "vouch.example.org/log\n8\n\(Self.rootBase64)\n")
        #expect(try Checkpoint(text: checkpoint.text) == checkpoint)
        let extended = try Checkpoint(origin: "o", size: 0, rootHash: MerkleHash.emptyRoot, extensions: ["— ext 1", "x"])
        #expect(extended.text.hasSuffix("\n— ext 1\nx\n"))
        #expect(try Checkpoint(text: extended.text) == extended)
        let big = try Checkpoint(origin: "o", size: Int.max, rootHash: Self.root)
        #expect(try Checkpoint(text: big.text).size == Int.max)
    }

    static let malformed: [String] = [
        "",
        "origin\n8\n\(rootBase64)",
        "origin\n8\n",
        "\n8\n\(rootBase64)\n",
        "origin\n08\n\(rootBase64)\n",
        "origin\n+8\n\(rootBase64)\n",
        "origin\n-8\n\(rootBase64)\n",
        "origin\n 8\n\(rootBase64)\n",
        "origin\n8 \n\(rootBase64)\n",
        "origin\n\n\(rootBase64)\n",
        "origin\n9223372036854775808\n\(rootBase64)\n",
        "origin\n99999999999999999999\n\(rootBase64)\n",
        "origin\n8\n\(rootBase64.dropLast())\n",
        "origin\n8\n\(rootBase64.dropLast(2))h=\n",
        "origin\n8\nAAAA\n",
        "origin\n8\n\(rootBase64)\n\n",
        "origin\n8\n\(rootBase64)\next\n\n",
        "origin\n8\n\(rootBase64) \n",
        "ori\u{01}gin\n8\n\(rootBase64)\n",
        "origin\r\n8\n\(rootBase64)\n",
    ]

    @Test(arguments: malformed.indices)
    func malformedBodiesAreRejected(index: Int) {
        #expect(throws: LogError(.malformedCheckpoint, "")) { try Checkpoint(text: Self.malformed[index]) }
    }

    @Test func constructionIsChecked() {
        #expect(throws: LogError(.malformedCheckpoint, "")) { try Checkpoint(origin: "", size: 1, rootHash: Self.root) }
        #expect(throws: LogError(.malformedCheckpoint, "")) { try Checkpoint(origin: "a\nb", size: 1, rootHash: Self.root) }
        #expect(throws: LogError(.malformedCheckpoint, "")) { try Checkpoint(origin: "o", size: -1, rootHash: Self.root) }
        #expect(throws: LogError(.malformedCheckpoint, "")) { try Checkpoint(origin: "o", size: 1, rootHash: [1]) }
        #expect(throws: LogError(.malformedCheckpoint, "")) {
            try Checkpoint(origin: "o", size: 1, rootHash: Self.root, extensions: [""])
        }
    }

    @Test func signedCheckpointsOpen() throws {
        let signer = try NoteSigner(name: "vouch.example.org/log", privateKey: PrivateKey.generate(.eddsa))
        let checkpoint = try Checkpoint(origin: "vouch.example.org/log", size: 8, rootHash: Self.root)
        let note = try checkpoint.signed(by: signer)
        #expect(note.hasPrefix(checkpoint.text + "\n— vouch.example.org/log "))
        #expect(try Checkpoint.open(note: Array(note.utf8), verifiers: [signer.verifier]) == checkpoint)
        #expect(try Checkpoint.open(note: Array(note.utf8), verifiers: [signer.verifier], origin: "vouch.example.org/log")
            == checkpoint)
        #expect(throws: LogError(.malformedCheckpoint, "")) {
            try Checkpoint.open(note: Array(note.utf8), verifiers: [signer.verifier], origin: "other.example/log")
        }
        let stranger = try NoteSigner(name: "vouch.example.org/log", privateKey: PrivateKey.generate(.eddsa))
        #expect(throws: LogError(.unverifiedNote, "")) {
            try Checkpoint.open(note: Array(note.utf8), verifiers: [stranger.verifier])
        }
    }
}
