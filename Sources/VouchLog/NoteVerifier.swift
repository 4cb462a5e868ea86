public import VouchCrypto
internal import VouchCore

/// A C2SP signed-note verifier key for Ed25519.
///
/// Its text form (`vkey`) is `<name>+<key hash, 8 hex digits>+<base64(0x01 || public key)>`,
/// the format Go's `golang.org/x/mod/sumdb/note`, witnesses and monitors use.
/// The key hash is the first 4 bytes of SHA-256(name || "\n" || 0x01 || public key),
/// so a key is identified by its name and its bytes together.
public struct NoteVerifier: Hashable, Sendable, CustomStringConvertible {
    /// The signature-type byte for Ed25519 in signed-note keys.
    static let ed25519Type: UInt8 = 0x01

    /// The key name, usually the log's origin.
    public let name: String
    /// The 32-bit key id that prefixes each of this key's signatures.
    public let keyHash: UInt32
    /// The 32-byte Ed25519 public key.
    public let rawPublicKey: [UInt8]
    let publicKey: PublicKey

    /// Parses a verifier key.
    ///
    /// - Throws: `LogError.invalidKey` for a malformed vkey, an invalid name,
    ///   a key type other than Ed25519, or a key hash that does not match.
    public init(vkey: String) throws(LogError) {
        // The base64 key may itself contain "+"; the name and hash cannot.
        let parts = vkey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw LogError(.invalidKey, "a vkey is name+hash+key") }
        let name = String(parts[0])
        guard Self.isValidName(name) else { throw LogError(.invalidKey, "invalid key name") }
        let isLowerHex = parts[1].utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        guard parts[1].utf8.count == 8, isLowerHex, let hashBytes = [UInt8](hexString: String(parts[1])) else {
            throw LogError(.invalidKey, "vkey hash must be 8 lowercase hex digits")
        }
        guard let key = Base64.decode(parts[2]), key.count == 33, key[0] == Self.ed25519Type else {
            throw LogError(.invalidKey, "vkey key must be base64 of 0x01 and a 32-byte Ed25519 key")
        }
        try self.init(name: name, raw: Array(key.dropFirst()))
        guard keyHash == hashBytes.reduce(0, { $0 << 8 | UInt32($1) }) else {
            throw LogError(.invalidKey, "vkey hash does not match its name and key")
        }
    }

    /// Creates the verifier for an Ed25519 public key.
    ///
    /// - Throws: `LogError.invalidKey` for an invalid name or a non-Ed25519 key.
    public init(name: String, publicKey: PublicKey) throws(LogError) {
        guard let raw = publicKey.rawEd25519 else {
            throw LogError(.invalidKey, "signed-note keys must be Ed25519")
        }
        guard Self.isValidName(name) else { throw LogError(.invalidKey, "invalid key name") }
        try self.init(name: name, raw: raw)
    }

    private init(name: String, raw: [UInt8]) throws(LogError) {
        guard Self.isValidName(name) else { throw LogError(.invalidKey, "invalid key name") }
        do {
            self.publicKey = try PublicKey(rawEd25519: raw)
        } catch {
            throw LogError(.invalidKey, "not an Ed25519 public key")
        }
        self.name = name
        self.rawPublicKey = raw
        self.keyHash = Self.keyHash(name: name, key: [Self.ed25519Type] + raw)
    }

    /// The vkey text, `<name>+<hash>+<base64 key>`.
    public var vkey: String {
        let hash = (0..<4).map { UInt8(truncatingIfNeeded: keyHash >> (24 - 8 * $0)) }
        return name + "+" + hash.hexString + "+" + Base64.encode([Self.ed25519Type] + rawPublicKey)
    }

    public var description: String { vkey }

    /// Checks a signature (without its 4-byte key hash prefix) over a note's text.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        publicKey.isValidSignature(signature, for: message)
    }

    /// A signed-note key name: non-empty, no Unicode white space, no `+`.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0.properties.isWhitespace || $0 == "+" }
            && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }
    }

    /// The first 4 bytes of SHA-256(name || "\n" || key), big-endian.
    static func keyHash(name: String, key: [UInt8]) -> UInt32 {
        let digest = Digest.sha256(parts: [Array(name.utf8), [0x0a], key])
        return digest.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }
}
