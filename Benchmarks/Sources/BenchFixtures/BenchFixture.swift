public import Foundation
public import VouchCrypto
import VouchCore
import VouchIssuer

/// The keys, certificates and codes every benchmark process works on.
///
/// The benchmark plugin runs each benchmark in a process of its own, so a
/// baseline and its Vouch counterpart can only measure the same bytes if they
/// read them from one place: the first process creates this fixture and writes
/// it to `Benchmarks/.build/bench-fixtures/fixture.json` (or `$VOUCH_BENCH_FIXTURE`),
/// and every later one, including the python-cwt script, reads it back.
/// A fixture older than a day is replaced, so `exp` never lapses under python-cwt.
/// The keys are throw-away test keys made for the run.
public struct BenchFixture: Sendable {
    /// One issuer: its key, its certificate under ``root``, and an age code it issued.
    public struct Signer: Sendable {
        public let key: PrivateKey
        public let certificate: Certificate
        /// `VCH1:` text of an `age_over_18` code issued at ``BenchFixture/issuedAt``.
        public let token: String
    }

    /// The development root both issuer certificates chain to.
    public let root: Certificate
    public let es256: Signer
    public let eddsa: Signer
    /// When the codes were issued; pass it as `now` to issue codes of the same shape.
    public let issuedAt: Date
    /// A time at which the codes are valid; pass it as `now` to the verifier.
    public var verifiedAt: Date { issuedAt.addingTimeInterval(60) }
    /// The birth date the codes were issued for.
    public static let birthDate = "1990-06-15"

    public func signer(_ algorithm: SigningAlgorithm) -> Signer {
        algorithm == .eddsa ? eddsa : es256
    }

    /// The file the fixture lives in.
    public static var path: URL {
        if let override = ProcessInfo.processInfo.environment["VOUCH_BENCH_FIXTURE"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        // Sources/BenchFixtures/BenchFixture.swift -> the Benchmarks package directory.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/bench-fixtures/fixture.json")
    }

    /// Reads the fixture, creating it first when it is missing, unreadable or stale.
    public static func load(now: Date = Date()) throws -> BenchFixture {
        if let data = try? Data(contentsOf: path),
           let stored = try? JSONDecoder().decode(Stored.self, from: data),
           now.timeIntervalSince1970 - stored.created < 86_400,
           let fixture = try? BenchFixture(stored) {
            return fixture
        }
        let fixture = try make(now: now)
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(fixture.stored(created: now)).write(to: path, options: .atomic)
        return fixture
    }

    // MARK: - Creation

    private static func make(now: Date) throws -> BenchFixture {
        let notBefore = now.addingTimeInterval(-3600)
        let rootKey = try PrivateKey.generate(.es256)
        let root = try CertificateFactory.selfSignedCA(
            commonName: "Vouch Benchmark Root (TEST ONLY)", organization: "Vouch benchmarks", key: rootKey,
            notBefore: notBefore, notAfter: now.addingTimeInterval(365 * 86_400), pathLength: 0)
        func signer(_ algorithm: SigningAlgorithm) throws -> Signer {
            let key = try PrivateKey.generate(algorithm)
            let certificate = try CertificateFactory.issue(
                commonName: "Vouch Benchmark Issuer \(algorithm) (TEST ONLY)", organization: "Vouch benchmarks",
                subjectKey: key.publicKey, issuer: root, issuerKey: rootKey,
                notBefore: notBefore, notAfter: now.addingTimeInterval(365 * 86_400))
            let issuer = try Issuer(key: key, certificate: certificate)
            guard let code = try issuer.issueAge(birthDate: birthDate, now: now, thresholds: [18]).first else {
                throw FixtureError(description: "issueAge returned no code")
            }
            return Signer(key: key, certificate: certificate, token: code.text)
        }
        return BenchFixture(root: root, es256: try signer(.es256), eddsa: try signer(.eddsa), issuedAt: now)
    }

    private init(root: Certificate, es256: Signer, eddsa: Signer, issuedAt: Date) {
        self.root = root
        self.es256 = es256
        self.eddsa = eddsa
        self.issuedAt = issuedAt
    }

    // MARK: - Storage

    /// The JSON form; the python-cwt script reads `cose_hex` and `public_key_pem`.
    struct Stored: Codable {
        struct Signer: Codable {
            var keyPKCS8Base64: String
            var certificateBase64: String
            var publicKeyPEM: String
            var kidHex: String
            var token: String
            var coseHex: String

            enum CodingKeys: String, CodingKey {
                case keyPKCS8Base64 = "key_pkcs8_base64", certificateBase64 = "certificate_base64"
                case publicKeyPEM = "public_key_pem", kidHex = "kid_hex", token, coseHex = "cose_hex"
            }
        }
        var created: TimeInterval
        var issuedAt: TimeInterval
        var verifiedAt: TimeInterval
        var rootBase64: String
        var es256: Signer
        var eddsa: Signer

        enum CodingKeys: String, CodingKey {
            case created, issuedAt = "issued_at", verifiedAt = "verified_at", rootBase64 = "root_base64"
            case es256 = "ES256", eddsa = "EdDSA"
        }
    }

    private init(_ stored: Stored) throws {
        func decode(_ s: Stored.Signer) throws -> Signer {
            guard let key = Data(base64Encoded: s.keyPKCS8Base64), let cert = Data(base64Encoded: s.certificateBase64)
            else { throw FixtureError(description: "bad base64 in fixture") }
            return Signer(key: try PrivateKey(derRepresentation: Array(key)),
                          certificate: try Certificate(derRepresentation: Array(cert)), token: s.token)
        }
        guard let root = Data(base64Encoded: stored.rootBase64) else {
            throw FixtureError(description: "bad base64 in fixture")
        }
        self.init(root: try Certificate(derRepresentation: Array(root)), es256: try decode(stored.es256),
                  eddsa: try decode(stored.eddsa), issuedAt: Date(timeIntervalSince1970: stored.issuedAt))
    }

    private func stored(created: Date) throws -> Stored {
        func encode(_ s: Signer) throws -> Stored.Signer {
            let cose = try VCH1.decode(s.token)
            return Stored.Signer(
                keyPKCS8Base64: Data(s.key.derRepresentation).base64EncodedString(),
                certificateBase64: Data(s.certificate.derRepresentation).base64EncodedString(),
                publicKeyPEM: s.certificate.publicKey.pemRepresentation, kidHex: s.certificate.kid.hexString,
                token: s.token, coseHex: cose.hexString)
        }
        return Stored(created: created.timeIntervalSince1970, issuedAt: issuedAt.timeIntervalSince1970,
                      verifiedAt: verifiedAt.timeIntervalSince1970,
                      rootBase64: Data(root.derRepresentation).base64EncodedString(),
                      es256: try encode(es256), eddsa: try encode(eddsa))
    }
}

/// A fixture that cannot be made or read.
public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
}
