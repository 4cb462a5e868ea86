import Foundation
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchVerifier

/// A test root, a test issuer under it, and a verifier that trusts them.
/// These are throwaway test keys, generated per fixture and never written to disk.
struct VerifierFixture {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21T14:13:20Z
    let rootKey: PrivateKey
    let root: Certificate
    let issuerKey: PrivateKey
    let issuer: Issuer
    let trustStore: TrustStore
    /// The test log's receipt key (format.md §7), trusted by ``trustStore``.
    let receiptKey: PrivateKey
    static let origin = "test.vouch.example/log"

    init(algorithm: SigningAlgorithm = .es256, issuerValidity: ClosedRange<Date>? = nil) throws {
        let validity = issuerValidity ?? Self.now.addingTimeInterval(-86_400 * 400)...Self.now.addingTimeInterval(86_400 * 400)
        rootKey = try PrivateKey.generate(.es256)
        root = try CertificateFactory.selfSignedCA(commonName: "Vouch Test Root", organization: "tests", key: rootKey,
                                                   notBefore: Self.now.addingTimeInterval(-86_400 * 1000),
                                                   notAfter: Self.now.addingTimeInterval(86_400 * 1000))
        issuerKey = try PrivateKey.generate(algorithm)
        let cert = try CertificateFactory.issue(commonName: "Vouch Test Issuer", organization: "tests",
                                                subjectKey: issuerKey.publicKey, issuer: root, issuerKey: rootKey,
                                                notBefore: validity.lowerBound, notAfter: validity.upperBound)
        issuer = try Issuer(key: issuerKey, certificate: cert)
        receiptKey = try PrivateKey.generate(.eddsa)
        trustStore = TrustStore(roots: [root], issuers: [cert],
                                receiptKeys: [try ReceiptKey(origin: Self.origin, publicKey: receiptKey.publicKey)])
    }

    func verifier(policies: [Policy] = [], status: any StatusSource = NoStatusSource(),
                  replay: ReplayCache = ReplayCache()) throws -> Verifier {
        let shipped = try PolicyStore.load(directory: shippedPoliciesDirectory)
        return Verifier(trustStore: trustStore, policies: try PolicyStore(policies: shipped.all + policies),
                        statusSource: status, replayCache: replay)
    }

    /// Claims of an age code, adjustable.
    func ageClaims(over: Int = 18, iat: Date = VerifierFixture.now, lifetime: TimeInterval = 90 * 86_400,
                   status: StatusReference? = nil) -> Claims {
        let issuedAt = UInt64(iat.timeIntervalSince1970)
        return Claims(issuer: "https://test.invalid", expiresAt: issuedAt + UInt64(lifetime), issuedAt: issuedAt,
                      tokenID: (try? SecureRandom.bytes(count: 16)) ?? [], type: .age, ageOver: [over], status: status)
    }

    /// A code as a real issuer hands it out: signed, with the log's receipt for its entry.
    func sign(_ claims: Claims, index: UInt64 = 7) throws -> String {
        try withReceipt(issuer.sign(claims), index: index).text
    }

    /// A code minted off the books: the issuer's signature and no receipt.
    func signWithoutReceipt(_ claims: Claims) throws -> String { try issuer.sign(claims).text }

    /// `attestation` with a receipt signed by `key` (default: the trusted receipt key) for `origin`.
    func withReceipt(_ attestation: IssuedAttestation, index: UInt64 = 7, key: PrivateKey? = nil,
                     origin: String = VerifierFixture.origin, tokenHash: [UInt8]? = nil) throws -> IssuedAttestation {
        let hash = tokenHash ?? Digest.sha256(attestation.loggedBytes)
        let time = attestation.claims.issuedAt
        let message = LogReceipt.message(origin: origin, index: index, time: time, tokenHash: hash)
        let signature = try (key ?? receiptKey).signature(for: message)
        return try attestation.attaching(LogReceipt(index: index, time: time, signature: signature))
    }

    /// A code bound to `holder`, with its receipt, and its issued COSE bytes.
    func boundCode(_ holder: PrivateKey, claims: Claims? = nil) throws -> IssuedAttestation {
        var bound = claims ?? ageClaims()
        bound.holderKey = holder.publicKey.coseKey
        return try withReceipt(issuer.sign(bound))
    }

    /// A presentation of `code` signed by `holder` at `t` (default: the fixture's now).
    func present(_ code: IssuedAttestation, by holder: PrivateKey, at t: Date = VerifierFixture.now) throws -> String {
        try Presentation.sign(credential: code.coseBytes, time: UInt64(t.timeIntervalSince1970)) {
            try holder.signature(for: $0)
        }.text
    }
}

/// Status answers held in memory, keyed by list index: the verifier's side of
/// revocation checked without a status-list cache (that cache is a later issue).
struct FixedStatusSource: StatusSource {
    let answers: [UInt64: StatusLookup]
    func status(of reference: StatusReference, now: Date, maximumAge: TimeInterval) -> StatusLookup {
        answers[reference.index] ?? .unavailable
    }
}

extension Policy {
    /// A lenient age policy for tests: status ignored.
    static func testAge(_ id: String = "test-age-18", over: Int = 18, status: StatusCheck = .ignore,
                        singleUse: Bool = false, maxTokenAge: Int? = 31_536_000, issuers: [String]? = nil,
                        disclose: [String] = ["age_over_18"], holderBinding: HolderBinding = .optional,
                        presentationMaxAge: Int = 60) -> Policy {
        Policy(id: id, title: "Test age \(over)", accept: [.age, .identity], require: Requirement(ageOver: over),
               maxTokenAge: maxTokenAge, clockSkew: 300, status: status, maxStatusAge: 86_400, singleUse: singleUse,
               issuers: issuers, disclose: disclose, holderBinding: holderBinding,
               presentationMaxAge: presentationMaxAge)
    }
}
