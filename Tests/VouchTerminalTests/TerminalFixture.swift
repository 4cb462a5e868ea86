import VouchServerTesting
import Foundation
import HummingbirdTesting
import Synchronization
import Testing
import VouchCrypto
import VouchIssuer
import VouchServer
import VouchTerminal
import VouchStore
import VouchVerifier

/// An issuer fixture plus what a terminal of it needs: the issuer's root, a
/// fresh terminal data directory, and the issuer's signing key for bundles
/// made by hand.
struct TerminalFixture {
    let issuer: ServerFixture
    let directory: URL
    let roots: [Certificate]
    let keys: IssuerKeys

    init(statusListSize: Int? = nil) async throws {
        issuer = try await ServerFixture(statusListSize: statusListSize)
        let data = issuer.directory.appendingPathComponent("data")
        roots = try Certificate.load(fromFile: data.appendingPathComponent("certs/root-ca.pem").path)
        keys = try IssuerKeys.load(dataDirectory: data)
        directory = issuer.directory.appendingPathComponent("terminal-data")
    }

    func terminal() throws -> Terminal {
        try Terminal(dataDirectory: directory, upstreamRoots: roots, logger: issuer.logs.logger)
    }

    /// The issuer's current bundle, as `GET /v1/trust?format=cose` serves it.
    func published() throws -> TrustBundlePublisher.Published {
        try issuer.services.trustBundles.current(trust: issuer.services.verifier.trustStore.snapshot,
                                                 policies: issuer.services.verifier.policies)
    }

    /// A bundle of the issuer's trust and policies, signed by hand at `iat`.
    func bundle(iat: Date, key: PrivateKey? = nil, certificate: Certificate? = nil) throws -> SignedTrustBundle {
        let bundle = TrustBundle(issuedAt: UInt64(iat.timeIntervalSince1970), issuer: "https://issuer.test",
                                 trust: issuer.services.verifier.trustStore.snapshot,
                                 policies: issuer.services.verifier.policies,
                                 statusLists: issuer.services.statusLists.allocator.listURIs)
        return try SignedTrustBundle.sign(bundle, key: key ?? keys.signingKey, certificate: certificate ?? keys.certificate)
    }

    /// A code issued over HTTP (in-process), so that it has its status list slot.
    func issue(_ path: String = "/v1/attestations/age",
               json: String = #"{"birth_date": "2000-01-01", "thresholds": [18]}"#) async throws -> String {
        let key = issuer.adminKey
        return try await issuer.application().test(.router) { client in
            let response = try await client.post(path, json: json, key: key)
            let list = try #require(response.json["attestations"] as? [[String: Any]], "\(response.text)")
            return try #require(list.first?["token"] as? String)
        }
    }

    func cleanUp() { issuer.cleanUp() }
}

/// An upstream that counts requests, and can be told to fail (a stopped issuer).
final class CountingUpstream: UpstreamFetching {
    let base: any UpstreamFetching
    private let counts = Mutex<(requests: Int, notModified: Int, down: Bool)>((0, 0, false))

    init(base: any UpstreamFetching) { self.base = base }

    var requests: Int { counts.withLock { $0.requests } }
    var notModified: Int { counts.withLock { $0.notModified } }
    func setDown(_ down: Bool) { counts.withLock { $0.down = down } }

    func get(_ url: URL, accept: String, ifNoneMatch etag: String?, limit: Int) async throws -> UpstreamResponse {
        let down = counts.withLock { counts in
            counts.requests += 1
            return counts.down
        }
        if down { throw UpstreamError(description: "upstream stopped") }
        let response = try await base.get(url, accept: accept, ifNoneMatch: etag, limit: limit)
        if response == .notModified { counts.withLock { $0.notModified += 1 } }
        return response
    }
}

/// The issuer's publishers called in-process, as their routes do, on a
/// clock the test sets: for tests without sockets.
final class InProcessUpstream: UpstreamFetching {
    let fixture: TerminalFixture
    private let clock = Mutex<Date?>(nil)

    init(fixture: TerminalFixture) { self.fixture = fixture }

    /// The upstream's time from now on (`nil`: the real clock).
    func setTime(_ date: Date?) { clock.withLock { $0 = date } }

    func get(_ url: URL, accept: String, ifNoneMatch etag: String?, limit: Int) async throws -> UpstreamResponse {
        let now = clock.withLock { $0 } ?? Date()
        if url.path.hasPrefix("/v1/status/"), let id = Int(url.lastPathComponent) {
            guard let published = try await fixture.issuer.services.statusLists.publisher.token(list: id, now: now) else {
                throw UpstreamError(description: "HTTP 404")
            }
            if TrustBundlePublisher.matches(ifNoneMatch: etag, etag: published.etag) { return .notModified }
            return .fetched(body: published.token, etag: published.etag)
        }
        let services = fixture.issuer.services
        let published = try services.trustBundles.current(trust: services.verifier.trustStore.snapshot,
                                                          policies: services.verifier.policies, now: now)
        if TrustBundlePublisher.matches(ifNoneMatch: etag, etag: published.etag) { return .notModified }
        return .fetched(body: published.signed.bytes, etag: published.etag)
    }
}
