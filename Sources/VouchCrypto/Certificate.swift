internal import COpenSSL
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An X.509 certificate whose key is P-256 or Ed25519.
///
/// Everything a caller reads (fingerprint, dates, names, key) is extracted
/// once at parse time; equality and hashing use the DER encoding.
public struct Certificate: Sendable, Hashable, CustomStringConvertible {
    /// The largest DER certificate accepted; Vouch certificates are under 1 KiB.
    static let maximumDERSize = 64 * 1024

    let handle: X509Handle

    /// The DER encoding, exactly as signed.
    public let derRepresentation: [UInt8]
    /// SHA-256 over ``derRepresentation``.
    public let sha256Fingerprint: [UInt8]
    /// The start of the validity period (`notBefore`).
    public let notValidBefore: Date
    /// The end of the validity period (`notAfter`).
    public let notValidAfter: Date
    /// The subject as an RFC 2253 string (most specific RDN first), UTF-8 unescaped.
    public let subject: String
    /// The issuer as an RFC 2253 string (most specific RDN first), UTF-8 unescaped.
    public let issuer: String
    /// Whether basicConstraints says `CA:TRUE`.
    public let isCA: Bool
    /// The subject public key.
    public let publicKey: PublicKey
    /// The serial number as lowercase hexadecimal, `-` prefixed if negative.
    public let serialNumberHex: String

    /// The COSE `kid` for this certificate: the first 8 bytes of its SHA-256
    /// fingerprint (format.md §1, the HCERT rule).
    public var kid: [UInt8] { Array(sha256Fingerprint.prefix(8)) }

    /// The certificate as a `CERTIFICATE` PEM block.
    public var pemRepresentation: String {
        PEM.encode(derRepresentation, label: "CERTIFICATE")
    }

    /// Parses one DER certificate.
    ///
    /// - Throws: `CryptoError.invalidCertificate` for malformed DER, trailing
    ///   bytes, bad extensions or unreadable dates; `.unsupportedAlgorithm`
    ///   when the subject key is not P-256 or Ed25519.
    public init(derRepresentation der: [UInt8]) throws {
        guard der.count <= Self.maximumDERSize else {
            throw CryptoError(
                code: .invalidCertificate, reason: "certificate larger than \(Self.maximumDERSize) bytes")
        }
        let parsed = der.withOpenSSLBytes { base, count -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = base
            guard let certificate = d2i_X509(nil, &cursor, count) else { return nil }
            guard cursor == base + count else {
                X509_free(certificate)
                return nil
            }
            return certificate
        }
        guard let parsed else {
            throw CryptoError.openSSL(.invalidCertificate, "malformed certificate DER")
        }
        try self.init(taking: parsed)
    }

    /// Wraps an owned `X509`, extracting every public property.
    init(taking pointer: OpaquePointer) throws {
        let handle = X509Handle(taking: pointer)
        // Computes and caches the extension flags; also the validity check.
        let flags = X509_get_extension_flags(pointer)
        guard flags & UInt32(EXFLAG_INVALID) == 0 else {
            throw CryptoError.openSSL(.invalidCertificate, "certificate has malformed extensions")
        }
        guard let der = OpenSSL.encodeDER({ i2d_X509(pointer, $0) }) else {
            throw CryptoError.openSSL(.invalidCertificate, "cannot encode certificate")
        }
        guard der.count <= Self.maximumDERSize else {
            throw CryptoError(
                code: .invalidCertificate, reason: "certificate larger than \(Self.maximumDERSize) bytes")
        }
        guard let publicKeyDER = OpenSSL.encodeDER({ i2d_PUBKEY(X509_get0_pubkey(pointer), $0) })
        else {
            throw CryptoError.openSSL(.invalidCertificate, "certificate has no readable public key")
        }
        self.handle = handle
        self.derRepresentation = der
        self.sha256Fingerprint = Digest.sha256(der)
        self.notValidBefore = try Self.date(X509_get0_notBefore(pointer), "notBefore")
        self.notValidAfter = try Self.date(X509_get0_notAfter(pointer), "notAfter")
        self.subject = try Self.rfc2253(X509_get_subject_name(pointer))
        self.issuer = try Self.rfc2253(X509_get_issuer_name(pointer))
        self.isCA = flags & UInt32(EXFLAG_CA) != 0
        self.publicKey = try PublicKey(spkiDER: publicKeyDER)
        self.serialNumberHex = Self.hex(of: X509_get0_serialNumber(pointer))
    }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool {
        lhs.derRepresentation == rhs.derRepresentation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(derRepresentation)
    }

    public var description: String {
        "Certificate(subject: \(subject), serial: \(serialNumberHex))"
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?, _ field: String) throws -> Date {
        var components = tm()
        guard let time, ASN1_TIME_to_tm(time, &components) == 1 else {
            throw CryptoError.openSSL(.invalidCertificate, "unreadable \(field)")
        }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&components)))
    }

    /// `XN_FLAG_RFC2253` (a macro Swift cannot import) spelled out, minus
    /// `ASN1_STRFLGS_ESC_MSB` so that UTF-8 names stay readable.
    private static let nameFlags: UInt = {
        let stringFlags =
            ASN1_STRFLGS_ESC_2253 | ASN1_STRFLGS_ESC_CTRL | ASN1_STRFLGS_UTF8_CONVERT
            | ASN1_STRFLGS_DUMP_UNKNOWN | ASN1_STRFLGS_DUMP_DER
        let nameFlags =
            XN_FLAG_SEP_COMMA_PLUS | XN_FLAG_DN_REV | XN_FLAG_FN_SN | XN_FLAG_DUMP_UNKNOWN_FIELDS
        return UInt(stringFlags) | UInt(nameFlags)
    }()

    private static func rfc2253(_ name: OpaquePointer?) throws -> String {
        let text = OpenSSL.collectFromWriteBIO { bio in
            X509_NAME_print_ex(bio, name, 0, nameFlags) >= 0
        }
        guard let text else {
            throw CryptoError.openSSL(.invalidCertificate, "cannot print name")
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func hex(of serial: UnsafePointer<ASN1_INTEGER>?) -> String {
        guard let serial, let data = ASN1_STRING_get0_data(serial) else { return "" }
        let bytes = UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(serial)))
        let digits = bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 0x10 ? "0" + text : text
        }.joined()
        return ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER ? "-" + digits : digits
    }
}
