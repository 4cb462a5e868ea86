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
        let result: Result<[UInt8], FormatError> = withTrimmedUTF8(text) { utf8 in
            do throws(FormatError) {
                return .success(try unwrap(utf8, prefix: prefix))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func unwrap(_ utf8: UnsafeBufferPointer<UInt8>, prefix: String) throws(FormatError) -> [UInt8] {
        guard utf8.count <= maximumTextLength else {
            throw FormatError(.payloadTooLarge, "text is \(utf8.count) characters, the limit is \(maximumTextLength)")
        }
        guard hasPrefix(utf8, prefix) else {
            throw FormatError(.unrecognized, "not a Vouch code (no \(prefix) prefix)")
        }
        let body = UnsafeBufferPointer(rebasing: utf8[prefix.utf8.count...])
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

    /// Whether `utf8` begins with the bytes of `prefix`.
    static func hasPrefix(_ utf8: UnsafeBufferPointer<UInt8>, _ prefix: String) -> Bool {
        var prefix = prefix
        return prefix.withUTF8 { expected in
            expected.count <= utf8.count && expected.indices.allSatisfy { utf8[$0] == expected[$0] }
        }
    }

    /// Calls `body` with the text's UTF-8 bytes, without the line ends a
    /// scanner or a shell adds around it.
    ///
    /// Read in place (a scanned string is native and contiguous): walking the
    /// `String.UTF8View` by index cost about 3k instructions per code.
    static func withTrimmedUTF8<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var text = text
        return text.withUTF8 { utf8 in
            var start = 0
            var end = utf8.count
            while start < end, utf8[start] == 0x0a || utf8[start] == 0x0d { start += 1 }
            while end > start, utf8[end - 1] == 0x0a || utf8[end - 1] == 0x0d { end -= 1 }
            return body(UnsafeBufferPointer(rebasing: utf8[start..<end]))
        }
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
