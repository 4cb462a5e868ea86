import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchVerifier

/// The verifier's status list cache: what it accepts, what it answers, and what it keeps on disk.
@Suite struct StatusListCacheTests {
    let fixture: VerifierFixture
    let now = VerifierFixture.now
    static let uri = "https://issuer.test/v1/status/0"

    init() throws { fixture = try VerifierFixture() }

    /// A list of 1024 entries: 1 revoked, 2 suspended, 3 the application-specific value, the rest valid.
    func token(uri: String = Self.uri, iat: Date? = nil, validity: UInt64 = 86_400, ttl: UInt64 = 300,
               list: StatusList? = nil, issuer: Issuer? = nil) throws -> [UInt8] {
        var statuses = StatusList(count: 1024)
        statuses[1] = 1
        statuses[2] = 2
        statuses[3] = 3
        let issuedAt = UInt64((iat ?? now).timeIntervalSince1970)
        return try (issuer ?? fixture.issuer).sign(StatusListToken(
            uri: uri, issuedAt: issuedAt, expiresAt: issuedAt + validity, timeToLive: ttl, list: list ?? statuses))
    }

    func reference(_ index: UInt64, uri: String = Self.uri) -> StatusReference {
        StatusReference(index: index, uri: uri)
    }

    @Test func answersFromAStoredList() throws {
        let cache = StatusListCache(trustStore: fixture.trustStore)
        #expect(cache.status(of: reference(1), now: now, maximumAge: 86_400) == .unavailable)
        try cache.store(token: try token(), fetchedAt: now)
        #expect(cache.status(of: reference(0), now: now, maximumAge: 86_400) == .valid)
        #expect(cache.status(of: reference(1), now: now, maximumAge: 86_400) == .revoked)
        #expect(cache.status(of: reference(2), now: now, maximumAge: 86_400) == .suspended)
        #expect(cache.status(of: reference(3), now: now, maximumAge: 86_400) == .unavailable)
        #expect(cache.status(of: reference(1023), now: now, maximumAge: 86_400) == .valid)
        #expect(cache.status(of: reference(1024), now: now, maximumAge: 86_400) == .unavailable, "past the end")
        #expect(cache.status(of: reference(.max), now: now, maximumAge: 86_400) == .unavailable)
        #expect(cache.status(of: reference(0, uri: Self.uri + "1"), now: now, maximumAge: 86_400) == .unavailable)
        let entry = try #require(cache.entry(uri: Self.uri))
        #expect(entry.timeToLive == 300)
        #expect(entry.refreshAt == now.addingTimeInterval(300))
        #expect(entry.kid == fixture.issuer.kid)
    }

    @Test func staleAndExpiredListsAreUnavailable() throws {
        let cache = StatusListCache(trustStore: fixture.trustStore)
        try cache.store(token: try token(validity: 7200), fetchedAt: now)
        #expect(cache.status(of: reference(1), now: now.addingTimeInterval(600), maximumAge: 600) == .revoked)
        #expect(cache.status(of: reference(1), now: now.addingTimeInterval(601), maximumAge: 600) == .unavailable)
        #expect(cache.status(of: reference(0), now: now.addingTimeInterval(601), maximumAge: 600) == .unavailable)
        #expect(cache.status(of: reference(0), now: now.addingTimeInterval(7199), maximumAge: 86_400) == .valid)
        #expect(cache.status(of: reference(0), now: now.addingTimeInterval(7200), maximumAge: 86_400) == .unavailable)
        // A 304 renews the fetch time.
        #expect(cache.renew(uri: Self.uri, fetchedAt: now.addingTimeInterval(3000)))
        #expect(cache.status(of: reference(1), now: now.addingTimeInterval(3500), maximumAge: 600) == .revoked)
        #expect(!cache.renew(uri: "https://other.test", fetchedAt: now))
    }

    @Test func badSignatureIsRefusedAndAnswersUnavailable() throws {
        let cache = StatusListCache(trustStore: fixture.trustStore)
        var bytes = try token()
        bytes[bytes.count - 5] ^= 0x01
        #expect(throws: StatusListError(.badSignature, "")) { try cache.store(token: bytes, fetchedAt: now) }
        #expect(cache.status(of: reference(0), now: now, maximumAge: 86_400) == .unavailable)
        #expect(cache.all.isEmpty)
    }

    @Test func unknownAndUntrustedSignersAreRefused() throws {
        let cache = StatusListCache(trustStore: fixture.trustStore)
        let stranger = try VerifierFixture()
        #expect(throws: StatusListError(.unknownIssuer, "")) {
            try cache.store(token: try token(issuer: stranger.issuer), fetchedAt: now)
        }
        // Issued before the certificate was valid.
        let early = now.addingTimeInterval(-86_400 * 500)
        #expect(throws: StatusListError(.untrustedIssuer, "")) {
            try cache.store(token: try token(iat: early), fetchedAt: early)
        }
    }

    @Test func timesAreChecked() throws {
        let cache = StatusListCache(trustStore: fixture.trustStore)
        #expect(throws: StatusListError(.notYetValid, "")) {
            try cache.store(token: try token(iat: now.addingTimeInterval(301)), fetchedAt: now)
        }
        try cache.store(token: try token(iat: now.addingTimeInterval(300)), fetchedAt: now)
        #expect(throws: StatusListError(.expired, "")) {
            try cache.store(token: try token(validity: 60), fetchedAt: now.addingTimeInterval(60))
        }
    }

    /// A list that would inflate past 4 MiB is refused before it is built.
    @Test func inflateBombIsRefused() throws {
        let cache = StatusListCache(trustStore: fixture.trustStore)
        let bomb = try Zlib.compress([UInt8](repeating: 0, count: 5 << 20))
        let claims = CBOR.map([
            CBOR.Pair(2, .text(Self.uri)), CBOR.Pair(6, .unsigned(UInt64(now.timeIntervalSince1970))),
            CBOR.Pair(4, .unsigned(UInt64(now.timeIntervalSince1970) + 86_400)), CBOR.Pair(65534, 300),
            CBOR.Pair(65533, .map([CBOR.Pair("bits", 2), CBOR.Pair("lst", .bytes(bomb))])),
        ])
        let sign1 = try COSESign1.sign(algorithm: -7, kid: fixture.issuer.kid, payload: claims.encoded(),
                                       extraProtected: [CBOR.Pair(16, .text(StatusListToken.mediaType))]) {
            try fixture.issuerKey.signature(for: $0)
        }
        #expect(throws: StatusListError(.tooLarge, "")) { try cache.store(token: sign1.encoded(), fetchedAt: now) }
        #expect(cache.status(of: reference(0), now: now, maximumAge: 86_400) == .unavailable)
    }

    @Test func anOlderListCannotReplaceANewerOne() throws {
        let cache = StatusListCache(trustStore: fixture.trustStore)
        let older = try token(iat: now.addingTimeInterval(-600), list: StatusList(count: 1024))
        try cache.store(token: try token(), fetchedAt: now)
        #expect(throws: StatusListError(.superseded, "")) { try cache.store(token: older, fetchedAt: now) }
        #expect(cache.status(of: reference(1), now: now, maximumAge: 86_400) == .revoked)
        // The same list fetched again counts as a fresh fetch.
        try cache.store(token: try #require(cache.entry(uri: Self.uri)).token, fetchedAt: now.addingTimeInterval(900))
        #expect(cache.entry(uri: Self.uri)?.fetchedAt == now.addingTimeInterval(900))
    }

    @Test func malformedTokensAreRefused() throws {
        let cache = StatusListCache(trustStore: fixture.trustStore)
        #expect(throws: StatusListError(.malformed, "")) { try cache.store(token: [0xd2, 0x80], fetchedAt: now) }
        // An attestation is not a status list (no typ, other claims).
        let attestation = try fixture.issuer.sign(fixture.ageClaims()).coseBytes
        #expect(throws: StatusListError(.malformed, "")) { try cache.store(token: attestation, fetchedAt: now) }
    }

    @Test func theVerifierRejectsRevokedAndSuspendedCodes() throws {
        let cache = StatusListCache(trustStore: fixture.trustStore)
        try cache.store(token: try token(), fetchedAt: now)
        let policy = Policy.testAge("status-required", status: .required)
        let verifier = try fixture.verifier(policies: [policy], status: cache)
        func reason(_ index: UInt64) throws -> Decision.Reason {
            try verifier.verify(fixture.sign(fixture.ageClaims(status: reference(index))), policyID: policy.id, now: now)
                .reason
        }
        #expect(try reason(0) == .ok)
        #expect(try reason(1) == .revoked)
        #expect(try reason(2) == .suspended)
        #expect(try reason(5000) == .statusUnavailable)
        // Past the policy's max_status_age since the fetch.
        let later = try verifier.verify(fixture.sign(fixture.ageClaims(iat: now.addingTimeInterval(86_402), status: reference(0))),
                                        policyID: policy.id, now: now.addingTimeInterval(86_402))
        #expect(later.reason == .statusUnavailable)
    }

    @Test func savedListsSurviveARestart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vouch-status-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = StatusListCache(trustStore: fixture.trustStore)
        try cache.store(token: try token(), fetchedAt: now)
        try cache.store(token: try token(uri: Self.uri + "9"), fetchedAt: now.addingTimeInterval(-60))
        try cache.save(to: directory)

        let restarted = StatusListCache(trustStore: fixture.trustStore)
        let result = try restarted.load(from: directory)
        #expect(result.loaded.sorted() == [Self.uri, Self.uri + "9"])
        #expect(result.rejected.isEmpty)
        #expect(restarted.status(of: reference(1), now: now, maximumAge: 600) == .revoked)
        #expect(restarted.entry(uri: Self.uri + "9")?.fetchedAt == now.addingTimeInterval(-60))
        #expect(restarted.all.map(\.token) == cache.all.map(\.token))

        // A tampered file is refused on load; the others still load.
        let manifest = try JSONSerialization.jsonObject(
            with: Data(contentsOf: directory.appendingPathComponent(StatusListCache.manifestName))) as? [String: Any]
        let lists = try #require(manifest?["lists"] as? [[String: Any]])
        let file = try #require(lists.first { $0["uri"] as? String == Self.uri }?["file"] as? String)
        var bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(file)))
        bytes[bytes.count - 1] ^= 0xff
        try Data(bytes).write(to: directory.appendingPathComponent(file))
        let again = StatusListCache(trustStore: fixture.trustStore)
        let partial = try again.load(from: directory)
        #expect(partial.loaded == [Self.uri + "9"])
        #expect(partial.rejected[Self.uri]?.code == .badSignature)

        // Nothing saved yet is not an error.
        #expect(try StatusListCache(trustStore: fixture.trustStore).load(from: directory.appendingPathComponent("none"))
            .loaded.isEmpty)
    }
}
