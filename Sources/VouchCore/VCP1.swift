/// The text form of a holder's presentation (format.md §6): `"VCP1:" Base45(COSE_Sign1_Tagged)`.
///
/// The same decoding limits as a `VCH1:` code apply (format.md §2): the text
/// and the bytes behind it are bounded before anything is decoded.
public enum VCP1 {
    public static let prefix = "VCP1:"
    /// The external_aad of every presentation signature: a signature over a
    /// code for another purpose can never pass as a presentation.
    public static let externalAAD: [UInt8] = Array("vouch presentation v1".utf8)
    /// The only algorithm a holder signs with: ES256, what WebCrypto and phone secure elements offer.
    public static let algorithm: Int64 = -7

    /// The text form of COSE_Sign1_Tagged bytes.
    public static func encode(_ coseSign1: [UInt8]) -> String {
        Base45.encode(coseSign1, prefix: prefix)
    }

    /// Unwraps the COSE bytes of a VCP1 text, without checking them.
    ///
    /// - Throws: ``FormatError`` with `.payloadTooLarge`, `.unrecognized` or `.malformed`.
    public static func decode(_ text: String) throws(FormatError) -> [UInt8] {
        try VCH1.unwrap(text, prefix: prefix)
    }
}

/// A code as scanned at a till: a static `VCH1:` attestation or a `VCP1:` presentation.
public enum ScannedCode: Sendable, Hashable {
    case attestation(DecodedAttestation)
    case presentation(Presentation)

    /// Decodes either text form as far as its claims, checking shape but not trust.
    ///
    /// - Throws: ``FormatError`` whose code is the reason of format.md §3;
    ///   text with neither prefix is `.unrecognized`.
    public init(text: String) throws(FormatError) {
        let isPresentation = VCH1.withTrimmedUTF8(text) { utf8 in
            utf8.count <= VCH1.maximumTextLength && VCH1.hasPrefix(utf8, VCP1.prefix)
        }
        if isPresentation {
            self = .presentation(try Presentation(text: text))
        } else {
            self = .attestation(try DecodedAttestation(text: text))
        }
    }

    /// The attestation itself: the code, or the credential a presentation carries.
    public var credential: DecodedAttestation {
        switch self {
        case .attestation(let code): return code
        case .presentation(let presentation): return presentation.credential
        }
    }
}
