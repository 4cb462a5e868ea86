public import VouchCrypto

/// Signs C2SP signed notes with an Ed25519 key under a key name.
public struct NoteSigner: Sendable {
    /// The verifier for this signer's key, which also gives its `vkey` text.
    public let verifier: NoteVerifier
    private let privateKey: PrivateKey

    /// Creates a signer.
    ///
    /// - Parameters:
    ///   - name: The key name, usually the log's origin: non-empty, no white
    ///     space, no `+`.
    ///   - privateKey: An Ed25519 key (`PrivateKey.generate(.eddsa)` or loaded from PEM).
    /// - Throws: `LogError.invalidKey` for a bad name or a non-Ed25519 key.
    public init(name: String, privateKey: PrivateKey) throws(LogError) {
        self.verifier = try NoteVerifier(name: name, publicKey: privateKey.publicKey)
        self.privateKey = privateKey
    }

    /// The key name.
    public var name: String { verifier.name }

    /// The 32-bit key id that prefixes this key's signatures.
    public var keyHash: UInt32 { verifier.keyHash }

    /// The verifier key text to publish (`GET /v1/log/key`).
    public var vkey: String { verifier.vkey }

    /// Signs a note's text; the result excludes the 4-byte key hash.
    ///
    /// - Throws: `CryptoError` if OpenSSL cannot sign.
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        try privateKey.signature(for: message)
    }
}
