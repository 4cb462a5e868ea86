public import Foundation
public import VouchCrypto

/// The key material of an issuer in its data directory.
///
/// Layout (private keys 0600, never overwritten):
/// ```
/// DATA/keys/root-ca.key.pem    development root CA key
/// DATA/keys/issuer.key.pem     issuer signing key
/// DATA/keys/log.key.pem        Ed25519 audit-log key
/// DATA/keys/receipt.key.pem    Ed25519 log receipt key (format.md §7)
/// DATA/certs/root-ca.pem       development root certificate (a trust anchor)
/// DATA/certs/issuer.pem        issuer signing certificate, signed by the root
/// DATA/certs/receipt.pem       the receipt key's public half and log origin (public)
/// ```
/// Production operators keep their own certificate and key elsewhere and
/// name them with `--issuer-cert`/`--issuer-key` (or `VOUCH_ISSUER_CERT`/`VOUCH_ISSUER_KEY`).
public struct IssuerKeys: Sendable {
    public let signingKey: PrivateKey
    public let certificate: Certificate
    /// The certificates between the issuer certificate and a root, if any.
    public let chain: [Certificate]

    public init(signingKey: PrivateKey, certificate: Certificate, chain: [Certificate] = []) {
        self.signingKey = signingKey
        self.certificate = certificate
        self.chain = chain
    }

    /// Paths inside a data directory.
    public struct Layout: Sendable {
        public let directory: URL
        public init(directory: URL) { self.directory = directory }
        public var rootKey: URL { directory.appendingPathComponent("keys/root-ca.key.pem") }
        public var issuerKey: URL { directory.appendingPathComponent("keys/issuer.key.pem") }
        public var logKey: URL { directory.appendingPathComponent("keys/log.key.pem") }
        /// Signs log receipts; not the issuer key, so a stolen issuer key alone mints no accepted code.
        public var receiptKey: URL { directory.appendingPathComponent("keys/receipt.key.pem") }
        /// The receipt key's public half with the log origin, read by verifiers of this directory.
        public var receiptPublicKey: URL { directory.appendingPathComponent("certs/receipt.pem") }
        /// 32 random bytes: the HMAC key of subject pseudonyms in the audit log.
        public var subjectSecret: URL { directory.appendingPathComponent("keys/subject-hmac.secret") }
        public var rootCertificate: URL { directory.appendingPathComponent("certs/root-ca.pem") }
        public var issuerCertificate: URL { directory.appendingPathComponent("certs/issuer.pem") }
        var issuerFiles: [URL] { [rootKey, issuerKey, rootCertificate, issuerCertificate] }
    }

    /// What ``initialize(dataDirectory:algorithm:now:)`` did.
    public struct InitResult: Sendable {
        /// Files written by this call (empty when everything was already there).
        public let created: [URL]
        public let layout: Layout
    }

    /// Creates development keys and certificates in a data directory, once.
    ///
    /// Never overwrites: existing files are kept, and a half-initialised
    /// directory (some issuer files missing) is an error that names them.
    public static func initialize(dataDirectory: URL, algorithm: SigningAlgorithm = .es256,
                                  now: Date = Date()) throws -> InitResult {
        let layout = Layout(directory: dataDirectory)
        let fm = FileManager.default
        try fm.createDirectory(at: dataDirectory.appendingPathComponent("keys"), withIntermediateDirectories: true,
                               attributes: [.posixPermissions: 0o700])
        try fm.createDirectory(at: dataDirectory.appendingPathComponent("certs"), withIntermediateDirectories: true)
        var created: [URL] = []

        let present = layout.issuerFiles.filter { fm.fileExists(atPath: $0.path) }
        if present.isEmpty {
            let rootKey = try PrivateKey.generate(.es256)
            let root = try CertificateFactory.selfSignedCA(
                commonName: "Vouch Development Root CA (NOT FOR PRODUCTION)", organization: "Vouch development",
                key: rootKey, notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(10 * 365 * 86_400),
                pathLength: 0)
            let issuerKey = try PrivateKey.generate(algorithm)
            let issuer = try CertificateFactory.issue(
                commonName: "Vouch Development Issuer (NOT FOR PRODUCTION)", organization: "Vouch development",
                subjectKey: issuerKey.publicKey, issuer: root, issuerKey: rootKey,
                notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(3 * 365 * 86_400))
            try rootKey.write(toPEMFile: layout.rootKey.path)
            try issuerKey.write(toPEMFile: layout.issuerKey.path)
            try Data(root.pemRepresentation.utf8).write(to: layout.rootCertificate, options: .withoutOverwriting)
            try Data(issuer.pemRepresentation.utf8).write(to: layout.issuerCertificate, options: .withoutOverwriting)
            created += layout.issuerFiles
        } else if present.count != layout.issuerFiles.count {
            let missing = layout.issuerFiles.filter { !fm.fileExists(atPath: $0.path) }.map(\.lastPathComponent)
            throw CryptoError(code: .io, reason: "data directory is half initialised: \(missing.joined(separator: ", ")) "
                + "missing while other keys exist; restore them or move the directory away (nothing was overwritten)")
        }
        if !fm.fileExists(atPath: layout.logKey.path) {
            try PrivateKey.generate(.eddsa).write(toPEMFile: layout.logKey.path)
            created.append(layout.logKey)
        }
        if !fm.fileExists(atPath: layout.receiptKey.path) {
            try PrivateKey.generate(.eddsa).write(toPEMFile: layout.receiptKey.path)
            created.append(layout.receiptKey)
        }
        if !fm.fileExists(atPath: layout.subjectSecret.path) {
            try writeSecret(try SecureRandom.bytes(count: 32), to: layout.subjectSecret.path)
            created.append(layout.subjectSecret)
        }
        return InitResult(created: created, layout: layout)
    }

    /// Reads the subject-pseudonym HMAC key of a data directory.
    public static func subjectSecret(dataDirectory: URL) throws -> [UInt8] {
        let path = Layout(directory: dataDirectory).subjectSecret.path
        guard let data = FileManager.default.contents(atPath: path), data.count == 32 else {
            throw CryptoError(code: .io, reason: "\(path) is missing or not 32 bytes; run `vouch init`")
        }
        return [UInt8](data)
    }

    /// Creates `path` with mode 0600 and writes `bytes`; never overwrites.
    static func writeSecret(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw CryptoError(code: .io, reason: "cannot create \(path) (errno \(errno))") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            unlink(path)
            throw CryptoError(code: .io, reason: "cannot write \(path)")
        }
    }

    /// Loads the log receipt key of a data directory.
    ///
    /// - Throws: `CryptoError` when it is missing (run `vouch init`), unreadable,
    ///   or the same key as `issuerKey` (a receipt must not be signable with the issuer key).
    public static func receiptKey(dataDirectory: URL, issuerKey: PrivateKey? = nil) throws -> PrivateKey {
        let path = Layout(directory: dataDirectory).receiptKey.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw CryptoError(code: .io, reason: "\(path) is missing; run `vouch init`")
        }
        let key = try PrivateKey.load(fromPEMFile: path)
        if let issuerKey, issuerKey.publicKey == key.publicKey {
            throw CryptoError(code: .invalidKey, reason: "\(path) is the issuer key; the receipt key must be its own")
        }
        return key
    }

    /// Loads the issuer key and certificate from a data directory.
    public static func load(dataDirectory: URL) throws -> IssuerKeys {
        let layout = Layout(directory: dataDirectory)
        return try load(certificatePath: layout.issuerCertificate.path, keyPath: layout.issuerKey.path)
    }

    /// Loads an operator's own issuer certificate (PEM, chain after the leaf allowed) and key.
    public static func load(certificatePath: String, keyPath: String) throws -> IssuerKeys {
        let certificates = try Certificate.load(fromFile: certificatePath)
        guard let leaf = certificates.first else {
            throw CryptoError(code: .invalidCertificate, reason: "\(certificatePath) holds no certificate")
        }
        let key = try PrivateKey.load(fromPEMFile: keyPath)
        guard key.publicKey == leaf.publicKey else {
            throw CryptoError(code: .invalidKey, reason: "\(keyPath) is not the key of the certificate in \(certificatePath)")
        }
        return IssuerKeys(signingKey: key, certificate: leaf, chain: Array(certificates.dropFirst()))
    }
}
