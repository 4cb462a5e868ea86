/// A C2SP signed note: UTF-8 text, a blank line, and signature lines.
///
/// ```
/// <text, ending in a newline>
///
/// — <key name> <base64(4-byte key hash || signature)>
/// ```
///
/// ``sign(text:signer:)`` writes one; ``open(note:verifiers:)`` parses and
/// checks one against the keys the caller trusts.
public struct SignedNote: Hashable, Sendable {
    /// One signature line.
    public struct Signature: Hashable, Sendable {
        /// The key name.
        public let name: String
        /// The key hash (the first 4 bytes of the base64 payload).
        public let keyHash: UInt32
        /// The signature proper, after the key hash.
        public let signature: [UInt8]

        /// The line without its newline: `— <name> <base64>`.
        public var line: String {
            let hash = (0..<4).map { UInt8(truncatingIfNeeded: keyHash >> (24 - 8 * $0)) }
            return SignedNote.signaturePrefix + name + " " + Base64.encode(hash + signature)
        }
    }

    /// The largest note ``open(note:verifiers:)`` reads.
    public static let maximumSize = 1 << 20
    /// The most signature lines a note may carry.
    public static let maximumSignatures = 100
    /// An em dash (U+2014) and a space start each signature line.
    static let signaturePrefix = "\u{2014} "

    /// The signed text, ending in a newline.
    public let text: String
    /// The signatures that verified under a known key, in note order.
    public let signatures: [Signature]
    /// Well-formed signatures by keys the caller did not list (not checked).
    public let unverifiedSignatures: [Signature]

    /// Signs a text with one key.
    ///
    /// - Parameters:
    ///   - text: Non-empty UTF-8 ending in a newline, with no control
    ///     characters other than newlines.
    ///   - signer: The signing key.
    /// - Returns: The complete note.
    /// - Throws: `LogError.malformedNote` for unacceptable text, `CryptoError`
    ///   if signing fails.
    public static func sign(text: String, signer: NoteSigner) throws -> String {
        try sign(text: text, signers: [signer])
    }

    /// Signs a text with several keys (e.g. a log key and a witness key).
    ///
    /// - Throws: `LogError.malformedNote` for unacceptable text or no signer,
    ///   `CryptoError` if signing fails.
    public static func sign(text: String, signers: [NoteSigner]) throws -> String {
        let bytes = Array(text.utf8)
        try checkText(bytes)
        guard !signers.isEmpty else { throw LogError(.malformedNote, "a note needs a signer") }
        guard bytes.count + signers.count * 256 < maximumSize else {
            throw LogError(.malformedNote, "note text too long")
        }
        var note = text + "\n"
        for signer in signers {
            let signature = Signature(name: signer.name, keyHash: signer.keyHash,
                                      signature: try signer.signature(for: bytes))
            note += signature.line + "\n"
        }
        return note
    }

    /// Checks the rules every note text follows.
    static func checkText(_ text: some BidirectionalCollection<UInt8>) throws(LogError) {
        guard text.last == 0x0a else { throw LogError(.malformedNote, "note text must end with a newline") }
        guard !text.contains(where: { $0 < 0x20 && $0 != 0x0a }) else {
            throw LogError(.malformedNote, "note text contains a control character")
        }
    }
}
