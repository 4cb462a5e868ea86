public import VouchCrypto
internal import VouchCore

/// C2SP `tlog-cosignature` v1: a witness's timestamped Ed25519 signature on a checkpoint.
///
/// The signed message is `"cosignature/v1\ntime <T>\n"` followed by the
/// checkpoint body; the note signature line carries
/// `base64(key hash || T as 8 big-endian bytes || signature)`, where the key
/// hash is the first 4 bytes of SHA-256(name || "\n" || 0x04 || public key)
/// (signature type 0x04), so a cosignature is never mistaken for a log's
/// plain Ed25519 note signature (type 0x01), and the other way round.
public enum Cosignature {
    /// The signature-type byte of cosignature/v1 keys.
    public static let signatureType: UInt8 = 0x04

    /// The message a cosignature signs.
    public static func message(checkpointText: String, time: UInt64) -> [UInt8] {
        Array("cosignature/v1\ntime \(time)\n".utf8) + Array(checkpointText.utf8)
    }

    /// A witness key: signs cosignatures under its name.
    public struct Signer: Sendable {
        public let verifier: Verifier
        private let key: PrivateKey

        /// - Throws: `LogError.invalidKey` for a bad name or a non-Ed25519 key.
        public init(name: String, privateKey: PrivateKey) throws(LogError) {
            verifier = try Verifier(name: name, publicKey: privateKey.publicKey)
            key = privateKey
        }

        /// The cosignature line for a checkpoint body at `time` (seconds since the epoch).
        ///
        /// - Throws: `CryptoError` if signing fails.
        public func cosign(checkpointText: String, time: UInt64) throws -> SignedNote.Signature {
            let signature = try key.signature(for: Cosignature.message(checkpointText: checkpointText, time: time))
            return SignedNote.Signature(name: verifier.name, keyHash: verifier.keyHash,
                                        signature: Cosignature.bigEndian(time) + signature)
        }
    }

    /// A witness's public key, as a trust bundle or `--witness` names it.
    public struct Verifier: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        public let keyHash: UInt32
        public let rawPublicKey: [UInt8]
        let publicKey: PublicKey

        /// - Throws: `LogError.invalidKey` for a bad name or a non-Ed25519 key.
        public init(name: String, publicKey: PublicKey) throws(LogError) {
            guard let raw = publicKey.rawEd25519 else { throw LogError(.invalidKey, "witness keys must be Ed25519") }
            guard NoteVerifier.isValidName(name) else { throw LogError(.invalidKey, "invalid witness key name") }
            self.name = name
            self.rawPublicKey = raw
            self.publicKey = publicKey
            self.keyHash = NoteVerifier.keyHash(name: name, key: [Cosignature.signatureType] + raw)
        }

        /// Parses `<name>+<hash>+<base64(0x04 || key)>`.
        ///
        /// - Throws: `LogError.invalidKey` for another type, a bad hash or a malformed text.
        public init(vkey: String) throws(LogError) {
            let parts = vkey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let key = Base64.decode(parts[2]), key.count == 33,
                  key[0] == Cosignature.signatureType
            else { throw LogError(.invalidKey, "a witness vkey is name+hash+base64(0x04 || Ed25519 key)") }
            let publicKey: PublicKey
            do {
                publicKey = try PublicKey(rawEd25519: Array(key.dropFirst()))
            } catch {
                throw LogError(.invalidKey, "not an Ed25519 public key")
            }
            try self.init(name: String(parts[0]), publicKey: publicKey)
            guard parts[1] == Substring(Self.hex(keyHash)) else {
                throw LogError(.invalidKey, "witness vkey hash does not match its name and key")
            }
        }

        /// The vkey text.
        public var vkey: String { name + "+" + Self.hex(keyHash) + "+" + Base64.encode([Cosignature.signatureType] + rawPublicKey) }
        public var description: String { vkey }

        /// The cosignature's timestamp when `signature` is this witness's valid cosignature of `checkpointText`.
        public func verifiedTime(_ signature: SignedNote.Signature, checkpointText: String) -> UInt64? {
            guard signature.name == name, signature.keyHash == keyHash, signature.signature.count == 72 else { return nil }
            let time = signature.signature.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let message = Cosignature.message(checkpointText: checkpointText, time: time)
            return publicKey.isValidSignature(Array(signature.signature.dropFirst(8)), for: message) ? time : nil
        }

        public static func == (lhs: Verifier, rhs: Verifier) -> Bool { lhs.vkey == rhs.vkey }
        public func hash(into hasher: inout Hasher) { hasher.combine(vkey) }

        static func hex(_ value: UInt32) -> String {
            (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }.hexString
        }
    }

    /// The witnesses among `witnesses` that validly cosigned the note's checkpoint.
    public static func cosigners(of note: SignedNote, among witnesses: [Verifier]) -> [Verifier] {
        witnesses.filter { witness in
            note.unverifiedSignatures.contains { witness.verifiedTime($0, checkpointText: note.text) != nil }
        }
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }
}
