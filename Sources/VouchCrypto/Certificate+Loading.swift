internal import COpenSSL

extension Certificate {
    /// The largest certificate file `load(fromFile:)` reads.
    static let maximumFileSize = 1024 * 1024
    /// The most certificates one PEM bundle may hold.
    static let maximumBundleCount = 256

    /// Parses the first `CERTIFICATE` block of a PEM string.
    ///
    /// - Throws: `CryptoError.invalidCertificate` if there is no certificate or
    ///   a block is malformed.
    public init(pemRepresentation: String) throws {
        guard let first = try Self.loadAll(pem: pemRepresentation, limit: 1).first else {
            throw CryptoError(code: .invalidCertificate, reason: "no CERTIFICATE in PEM")
        }
        self = first
    }

    /// Parses every `CERTIFICATE` block of a PEM bundle, in order.
    ///
    /// Text between blocks (comments, `Bag Attributes`) is skipped.
    ///
    /// - Throws: `CryptoError.invalidCertificate` if there is no certificate,
    ///   a block is malformed, or the bundle holds more than 256 certificates.
    public static func loadAll(pem: String) throws -> [Certificate] {
        let certificates = try loadAll(pem: pem, limit: maximumBundleCount + 1)
        guard !certificates.isEmpty else {
            throw CryptoError(code: .invalidCertificate, reason: "no CERTIFICATE in PEM")
        }
        guard certificates.count <= maximumBundleCount else {
            throw CryptoError(
                code: .invalidCertificate,
                reason: "more than \(maximumBundleCount) certificates in one bundle")
        }
        return certificates
    }

    /// Reads certificates from a PEM bundle or a single DER certificate.
    ///
    /// The format is sniffed: a file containing `-----BEGIN` is PEM, anything
    /// else is parsed as one DER certificate.
    ///
    /// - Throws: `CryptoError.io` if the file cannot be read (or exceeds 1 MiB);
    ///   `.invalidCertificate` if it holds no valid certificate.
    public static func load(fromFile path: String) throws -> [Certificate] {
        let bytes = try FileIO.readFile(path: path, limit: maximumFileSize)
        if bytes.contains(subsequence: Array("-----BEGIN".utf8)) {
            return try loadAll(pem: String(decoding: bytes, as: UTF8.self))
        }
        return [try Certificate(derRepresentation: bytes)]
    }

    /// Reads up to `limit` certificates, stopping cleanly at the end of input.
    private static func loadAll(pem: String, limit: Int) throws -> [Certificate] {
        try OpenSSL.withReadBIO(over: Array(pem.utf8)) { bio in
            var certificates: [Certificate] = []
            while certificates.count < limit {
                guard let parsed = PEM_read_bio_X509(bio, nil, nil, nil) else {
                    // "No start line" is how PEM_read reports that input ended.
                    let error = ERR_peek_last_error()
                    guard ERR_GET_LIB(error) == ERR_LIB_PEM, ERR_GET_REASON(error) == PEM_R_NO_START_LINE
                    else {
                        throw CryptoError.openSSL(.invalidCertificate, "malformed CERTIFICATE block")
                    }
                    OpenSSL.clearErrors()
                    break
                }
                certificates.append(try Certificate(taking: parsed))
            }
            return certificates
        }
    }
}

extension [UInt8] {
    fileprivate func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, count >= needle.count else { return needle.isEmpty }
        return (0...(count - needle.count)).contains { start in
            self[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
