import Testing
import VouchCrypto
@testable import VouchLog

/// C2SP tlog-witness checks and tlog-cosignature signatures, with real Ed25519 keys and RFC 9162 trees.
@Suite("Witness checks and cosignatures")
struct WitnessCheckTests {
    let logKey: PrivateKey
    let log: NoteSigner
    let leaves = TestData.leafHashes(40, seed: 14)

    init() throws {
        logKey = try PrivateKey.generate(.eddsa)
        log = try NoteSigner(name: "log.example/vouch", privateKey: logKey)
    }

    func note(_ size: Int, leaves: [[UInt8]]? = nil, signer: NoteSigner? = nil) throws -> [UInt8] {
        let root = ReferenceTree.mth((leaves ?? self.leaves)[0..<size])
        return Array(try Checkpoint(origin: "log.example/vouch", size: size, rootHash: root).signed(by: signer ?? log).utf8)
    }

    func request(from old: Int, to size: Int, leaves: [[UInt8]]? = nil) throws -> AddCheckpointRequest {
        let all = leaves ?? self.leaves
        let proof = old == 0 || old == size ? [] : ReferenceTree.consistency(old, size, Array(all[0..<size]))
        return AddCheckpointRequest(oldSize: old, proof: proof, note: try note(size, leaves: all))
    }

    func tree(_ size: Int, leaves: [[UInt8]]? = nil) -> WitnessCheck.Tree {
        WitnessCheck.Tree(size: size, rootHash: ReferenceTree.mth((leaves ?? self.leaves)[0..<size]))
    }

    func check(_ request: AddCheckpointRequest, held: WitnessCheck.Tree?) throws(WitnessCheck.Refusal) -> Checkpoint {
        try WitnessCheck.check(request, logs: [log.verifier]) { _ in held }
    }

    @Test("a new log from size 0, then growth with a consistency proof, are accepted")
    func growth() throws {
        #expect(try check(request(from: 0, to: 10), held: nil).size == 10)
        #expect(try check(request(from: 10, to: 33), held: tree(10)).size == 33)
        #expect(try check(request(from: 16, to: 40), held: tree(16)).size == 40)
        // The same checkpoint again is fine (idempotent retries).
        #expect(try check(request(from: 33, to: 33), held: tree(33)).size == 33)
    }

    @Test("a wrong old size is 409 with the size the witness holds")
    func conflict() throws {
        #expect(throws: WitnessCheck.Refusal(.conflict(size: 10), "")) { try check(request(from: 0, to: 20), held: tree(10)) }
        #expect(throws: WitnessCheck.Refusal(.conflict(size: 0), "")) { try check(request(from: 5, to: 20), held: nil) }
    }

    @Test("a rewritten log is refused: another root at the held size, or a proof from another history")
    func rewrittenLog() throws {
        var forked = leaves
        forked[3] = Digest.sha256([0xde, 0xad])
        // Same size, another root: 409 (the witness keeps its tree).
        let sameSize = AddCheckpointRequest(oldSize: 10, proof: [], note: try note(10, leaves: forked))
        #expect(throws: WitnessCheck.Refusal(.conflict(size: 10), "")) { try check(sameSize, held: tree(10)) }
        // Growth of the forked history from the held size: its proof cannot match the held root.
        #expect(throws: WitnessCheck.Refusal(.inconsistent, "")) {
            try check(request(from: 10, to: 30, leaves: forked), held: tree(10))
        }
        // An honest proof for the wrong tree (held 10, proof from 12) fails too.
        let shifted = AddCheckpointRequest(oldSize: 10, proof: ReferenceTree.consistency(12, 30, Array(leaves[0..<30])),
                                           note: try note(30))
        #expect(throws: WitnessCheck.Refusal(.inconsistent, "")) { try check(shifted, held: tree(10)) }
    }

    @Test("a log not followed is 404; a checkpoint its key did not sign is 403; a smaller one is 400")
    func untrustedAndShrinking() throws {
        let other = try NoteSigner(name: "log.example/vouch", privateKey: try PrivateKey.generate(.eddsa))
        let stranger = AddCheckpointRequest(oldSize: 0, proof: [], note: try note(5, signer: other))
        #expect(throws: WitnessCheck.Refusal(.untrustedLog, "")) { try check(stranger, held: nil) }
        // The log's own key signing for another origin: that origin is not followed.
        let renamed = try NoteSigner(name: "another.example/log", privateKey: logKey)
        let root = ReferenceTree.mth(leaves[0..<5])
        let foreign = Array(try Checkpoint(origin: "another.example/log", size: 5, rootHash: root).signed(by: renamed).utf8)
        #expect(throws: WitnessCheck.Refusal(.unknownLog, "")) {
            try check(AddCheckpointRequest(oldSize: 0, proof: [], note: foreign), held: nil)
        }
        // Our origin, signed only under another key name.
        let misnamed = AddCheckpointRequest(oldSize: 0, proof: [], note: try note(5, signer: renamed))
        #expect(throws: WitnessCheck.Refusal(.untrustedLog, "")) { try check(misnamed, held: nil) }
        let shrinking = AddCheckpointRequest(oldSize: 20, proof: [], note: try note(10))
        #expect(throws: WitnessCheck.Refusal(.malformed, "")) { try check(shrinking, held: tree(20)) }
    }

    @Test("the add-checkpoint body round-trips and is parsed strictly")
    func requestBody() throws {
        let request = try request(from: 10, to: 33)
        let body = request.encoded()
        #expect(String(decoding: body.prefix(7), as: UTF8.self) == "old 10\n")
        #expect(try AddCheckpointRequest(body: body) == request)
        for bad in ["old\n\nx", "old 01\n\nx", "old -1\n\nx", "new 5\n\nx", "old 5\nnot-base64\n\nx", "old 5\n",
                    "old 5\nAAAA\n\nx"] {
            #expect(throws: LogError.self, "\(bad)") { try AddCheckpointRequest(body: Array(bad.utf8)) }
        }
        let long = "old 5\n" + String(repeating: Base64.encode([UInt8](repeating: 1, count: 32)) + "\n", count: 64) + "\nx"
        #expect(throws: LogError.self) { try AddCheckpointRequest(body: Array(long.utf8)) }
    }

    @Test("cosignature/v1: timestamped, type 0x04, verifiable only by its own key and for its own checkpoint")
    func cosignature() throws {
        let witness = try Cosignature.Signer(name: "witness.example", privateKey: try PrivateKey.generate(.eddsa))
        let text = try Checkpoint(text: SignedNote.open(note: try note(10), verifiers: [log.verifier]).text).text
        let signature = try witness.cosign(checkpointText: text, time: 1_790_000_000)
        #expect(signature.signature.count == 72)
        #expect(Array(signature.signature.prefix(8)) == [0, 0, 0, 0, 0x6a, 0xb1, 0x3b, 0x80])
        #expect(witness.verifier.verifiedTime(signature, checkpointText: text) == 1_790_000_000)
        // The key hash is over 0x04 || key, not 0x01 || key: a note key of the same name and key differs.
        let asNoteKey = try NoteVerifier(name: "witness.example", publicKey: witness.verifier.publicKey)
        #expect(asNoteKey.keyHash != witness.verifier.keyHash)
        // vkey text round-trips.
        #expect(try Cosignature.Verifier(vkey: witness.verifier.vkey) == witness.verifier)
        #expect(witness.verifier.vkey.hasPrefix("witness.example+"))
        #expect(throws: LogError.self) { try Cosignature.Verifier(vkey: asNoteKey.vkey) }
        // Another checkpoint, another time or another witness: no.
        let other = try Checkpoint(text: SignedNote.open(note: try note(11), verifiers: [log.verifier]).text).text
        #expect(witness.verifier.verifiedTime(signature, checkpointText: other) == nil)
        var retimed = signature.signature
        retimed[7] ^= 1
        let moved = SignedNote.Signature(name: signature.name, keyHash: signature.keyHash, signature: retimed)
        #expect(witness.verifier.verifiedTime(moved, checkpointText: text) == nil)
        let stranger = try Cosignature.Signer(name: "witness.example", privateKey: try PrivateKey.generate(.eddsa))
        #expect(stranger.verifier.verifiedTime(signature, checkpointText: text) == nil)
        // A cosigned note opens under the log key, and the witness is found among its other signatures.
        let cosigned = String(decoding: try note(10), as: UTF8.self) + signature.line + "\n"
        let opened = try SignedNote.open(note: Array(cosigned.utf8), verifiers: [log.verifier])
        #expect(Cosignature.cosigners(of: opened, among: [witness.verifier, stranger.verifier]) == [witness.verifier])
    }
}
