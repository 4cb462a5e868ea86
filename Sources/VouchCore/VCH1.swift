/// The VCH1 text form of an attestation: `"VCH1:" Base45(COSE_Sign1_Tagged)`.
public enum VCH1 {
    public static let prefix = "VCH1:"
    /// Longest QR text accepted (format.md §2).
    public static let maximumTextLength = 4096
    /// Longest COSE structure accepted after Base45 (format.md §2).
    public static let maximumBinaryLength = 3072

    /// The text form of COSE_Sign1_Tagged bytes.
    public static func encode(_ coseSign1: [UInt8]) -> String {
        Base45.encode(coseSign1, prefix: prefix)
    }

    /// Unwraps the COSE bytes of a VCH1 text, without checking them.
    ///
    /// Line ends around the text (a keyboard-wedge scanner's Enter, a shell's
    /// newline) are ignored; nothing else is. Checks run in the order of
    /// format.md §3: size, then prefix, then Base45.
    /// - Throws: ``FormatError`` with `.payloadTooLarge`, `.unrecognized` or `.malformed`.
    public static func decode(_ text: String) throws(FormatError) -> [UInt8] {
        try unwrap(text, prefix: prefix)
    }

    /// Unwraps `prefix` + Base45 text under the limits of format.md §2; shared by `VCH1:` and `VCP1:`.
    static func unwrap(_ text: String, prefix: String) throws(FormatError) -> [UInt8] {
        let utf8 = trimmedLineEnds(text)
        guard utf8.count <= maximumTextLength else {
            throw FormatError(.payloadTooLarge, "text is \(utf8.count) characters, the limit is \(maximumTextLength)")
        }
        guard utf8.starts(with: prefix.utf8) else {
            throw FormatError(.unrecognized, "not a Vouch code (no \(prefix) prefix)")
        }
        let tail = utf8.dropFirst(prefix.utf8.count)
        // One copy of contiguous bytes, not a byte-by-byte walk of the view (about 17k instructions for a presentation).
        let body = tail.withContiguousStorageIfAvailable { Array($0) } ?? Array(tail)
        // Base45 turns 3 characters into 2 bytes (2 into 1): bound the output before decoding.
        guard body.count / 3 * 2 + (body.count % 3 == 2 ? 1 : 0) <= maximumBinaryLength else {
            throw FormatError(.payloadTooLarge, "code decodes to more than \(maximumBinaryLength) bytes")
        }
        guard !body.isEmpty else { throw .malformed("nothing after the \(prefix) prefix") }
        do {
            return try Base45.decode(utf8: body)
        } catch {
            throw .malformed("\(error)")
        }
    }

    /// The text without the line ends a scanner or a shell adds around it.
    static func trimmedLineEnds(_ text: String) -> Substring.UTF8View.SubSequence {
        var utf8 = Substring(text).utf8[...]
        while let first = utf8.first, first == 0x0a || first == 0x0d { utf8 = utf8.dropFirst() }
        while let last = utf8.last, last == 0x0a || last == 0x0d { utf8 = utf8.dropLast() }
        return utf8
    }
}

/// A decoded, not yet trusted, attestation: its COSE structure and claims.
public struct DecodedAttestation: Sendable, Hashable {
    /// The COSE_Sign1_Tagged bytes, as carried in the code.
    public let coseBytes: [UInt8]
    public let sign1: COSESign1
    public let claims: Claims
    /// The log receipt of the unprotected header (format.md §7), not yet checked.
    public let receipt: LogReceipt?

    /// Decodes a VCH1 text as far as its claims, checking shape but not trust.
    ///
    /// - Throws: ``FormatError`` whose code is the reason of format.md §3
    ///   (`payload_too_large`, `unrecognized`, `malformed`, `unsupported_alg`).
    public init(text: String) throws(FormatError) {
        try self.init(coseBytes: try VCH1.decode(text))
    }

    /// Decodes COSE_Sign1_Tagged bytes as far as their claims.
    public init(coseBytes: [UInt8]) throws(FormatError) {
        guard coseBytes.count <= VCH1.maximumBinaryLength else {
            throw FormatError(.payloadTooLarge, "code is \(coseBytes.count) bytes, the limit is \(VCH1.maximumBinaryLength)")
        }
        let sign1 = try COSESign1(tagged: coseBytes)
        guard let alg = sign1.protectedHeader[1] else {
            throw .malformed("protected header has no alg")
        }
        guard let kid = sign1.kid else { throw .malformed("protected header has no kid byte string") }
        guard kid.count == 8 else { throw .malformed("kid must be 8 bytes, got \(kid.count)") }
        guard alg == .int(-7) || alg == .int(-8) else {
            throw FormatError(.unsupportedAlgorithm, "alg \(alg.diagnostic) is not ES256 (-7) or EdDSA (-8)")
        }
        let expectedLength = 64
        guard sign1.signature.count == expectedLength else {
            throw .malformed("signature must be \(expectedLength) bytes, got \(sign1.signature.count)")
        }
        self.receipt = try sign1.logReceipt()
        self.coseBytes = coseBytes
        self.sign1 = sign1
        self.claims = try Claims(payload: sign1.payload)
    }

    public var kid: [UInt8] { sign1.kid ?? [] }
    public var algorithm: Int64 { sign1.algorithm ?? 0 }
}
