internal import VouchCrypto
internal import VouchLog

/// Signs the writer's checkpoints: C2SP tlog-checkpoint text as a signed
/// note under the log key, with the origin as the key name.
struct CheckpointSigner: Sendable {
    let origin: String
    private let signer: NoteSigner

    /// - Throws: `StoreError.invalidInput` for a key that is not Ed25519 or an
    ///   origin that cannot be a note key name (white space, `+`, empty).
    init(key: PrivateKey, origin: String) throws {
        do {
            signer = try NoteSigner(name: origin, privateKey: key)
            // Rejects control characters the key-name check may allow.
            _ = try Checkpoint(origin: origin, size: 0, rootHash: MerkleHash.emptyRoot)
        } catch {
            throw StoreError(code: .invalidInput, reason: "log key or origin unusable: \(error.reason)")
        }
        self.origin = origin
    }

    /// The note verifier key text, `<name>+<hash>+<key>` (`GET /v1/log/key`).
    var vkey: String { signer.vkey }

    func sign(size: Int, root: [UInt8]) throws -> String {
        do {
            return try Checkpoint(origin: origin, size: size, rootHash: root).signed(by: signer)
        } catch {
            throw StoreError(code: .database, reason: "cannot sign checkpoint: \(error)")
        }
    }
}
