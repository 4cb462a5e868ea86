import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VouchCore
import VouchIssuer
import VouchServer
import VouchStore
import VouchVerifier

/// Revocation end to end in-process: every issued code points into a status
/// list, `GET /v1/status/{list}` serves it signed and cacheable, and a revoke,
/// suspend or reinstate reaches the service's verifier and a terminal's cache.
@Suite struct StatusListRouteTests {
    func withApp(_ body: @Sendable (ServerFixture, any TestClientProtocol) async throws -> Void) async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.application().test(.router) { client in try await body(fixture, client) }
    }

    /// Issues one over-18 code; returns its id and text.
    func issue(_ client: some TestClientProtocol, _ f: ServerFixture) async throws -> (id: String, token: String) {
        let response = try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01", "thresholds": [18]}"#,
                                             key: f.adminKey)
        #expect(response.status == .created, "\(response.text)")
        let first = try #require((response.json["attestations"] as? [[String: Any]])?.first)
        return (try #require(first["id"] as? String), try #require(first["token"] as? String))
    }

    func verify(_ client: some TestClientProtocol, _ token: String, policy: String = "static-age-18") async throws -> String {
        let response = try await client.post("/v1/verify", json: #"{"token": "\#(token)", "policy": "\#(policy)"}"#)
        #expect(response.status == .ok)
        return response.json["reason"] as? String ?? "?"
    }

    @Test func everyIssuedCodeCarriesAStatusReference() async throws {
        try await withApp { f, client in
            let age = try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01"}"#, key: f.adminKey)
            let concession = try await client.post("/v1/attestations/concession",
                                                   json: #"{"concession": "student", "valid_until": "2027-06-30"}"#, key: f.adminKey)
            let identity = try await client.post("/v1/attestations/identity", json: """
                {"given_name": "Ada", "family_name": "Lovelace", "birth_date": "1990-12-10"}
                """, key: f.adminKey)
            let tokens = [age, concession, identity].flatMap { response in
                (response.json["attestations"] as? [[String: Any]] ?? []).compactMap { $0["token"] as? String }
            }
            #expect(tokens.count == 5)
            var references: [StatusReference] = []
            for token in tokens {
                let status = try #require(try DecodedAttestation(text: token).claims.status, "\(token)")
                references.append(status)
            }
            let prefix = f.services.configuration.publicURL + "/v1/status/"
            #expect(references.allSatisfy { $0.uri == prefix + "0" })
            #expect(Set(references.map(\.index)).count == 5, "one slot each")
            #expect(references.allSatisfy { $0.index < 131_072 })
        }
    }

    @Test func servesTheSignedListWithETagAnd304() async throws {
        try await withApp { f, client in
            _ = try await issue(client, f)
            let response = try await client.execute(uri: "/v1/status/0", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/statuslist+cwt")
            #expect(response.headers[.cacheControl] == "public, max-age=300")
            let etag = try #require(response.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && etag.count == 34)
            let token = try SignedStatusListToken(coseBytes: Array(response.body.readableBytesView))
            #expect(token.token.uri == f.services.configuration.publicURL + "/v1/status/0")
            #expect(token.token.timeToLive == 300)
            #expect(token.token.expiresAt - token.token.issuedAt == 86_400)
            #expect(token.token.list.count == 131_072)
            #expect(token.kid == f.services.issuer.kid)

            // Unchanged: the same token, and 304 to a conditional GET (also in a list or weak).
            let again = try await client.execute(uri: "/v1/status/0", method: .get)
            #expect(again.headers[.eTag] == etag)
            #expect(Array(again.body.readableBytesView) == Array(response.body.readableBytesView))
            for match in [etag, "W/\(etag)", "\"nope\", \(etag)", "*"] {
                let notModified = try await client.execute(uri: "/v1/status/0", method: .get, headers: [.ifNoneMatch: match])
                #expect(notModified.status == .notModified, "\(match)")
                #expect(notModified.headers[.eTag] == etag)
                #expect(notModified.headers[.cacheControl] == "public, max-age=300")
                #expect(notModified.body.readableBytes == 0)
            }
            let other = try await client.execute(uri: "/v1/status/0", method: .get, headers: [.ifNoneMatch: "\"other\""])
            #expect(other.status == .ok)

            // A new allocation does not change the bits, so the ETag stays.
            _ = try await issue(client, f)
            #expect(try await client.execute(uri: "/v1/status/0", method: .get).headers[.eTag] == etag)
        }
    }

    @Test func unknownListsAre404Problems() async throws {
        try await withApp { f, client in
            _ = try await issue(client, f)
            for path in ["/v1/status/2", "/v1/status/abc", "/v1/status/01", "/v1/status/-1", "/v1/status/9999999999"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.json["type"] as? String == "urn:vouch:problem:not-found")
            }
        }
    }

    @Test func revokeSuspendReinstateReachTheVerifier() async throws {
        try await withApp { f, client in
            let (id, token) = try await issue(client, f)
            #expect(try await verify(client, token) == "ok")
            let etag = try await client.execute(uri: "/v1/status/0", method: .get).headers[.eTag]

            let suspended = try await client.post("/v1/attestations/\(id)/revoke", json: #"{"suspend": true}"#, key: f.revokeKey)
            #expect(suspended.json["state"] as? String == "suspended")
            #expect(try await verify(client, token) == "suspended")
            let changed = try await client.execute(uri: "/v1/status/0", method: .get)
            #expect(changed.headers[.eTag] != etag)
            #expect(try await client.execute(uri: "/v1/status/0", method: .get,
                                             headers: [.ifNoneMatch: etag ?? ""]).status == .ok)

            _ = try await client.post("/v1/attestations/\(id)/reinstate", json: "{}", key: f.revokeKey)
            #expect(try await verify(client, token) == "ok")

            _ = try await client.post("/v1/attestations/\(id)/revoke", json: #"{"reason": "lost"}"#, key: f.revokeKey)
            #expect(try await verify(client, token) == "revoked")
            #expect(try await verify(client, token, policy: "student-discount") == "wrong_type")
            // Other codes in the same list are untouched.
            let (_, other) = try await issue(client, f)
            #expect(try await verify(client, other) == "ok")
        }
    }

    /// A terminal's cache, fed from `GET /v1/status/0`: it sees a revocation once it refreshes.
    @Test func aTerminalCacheSeesTheRevocationAfterItRefreshes() async throws {
        try await withApp { f, client in
            let (id, token) = try await issue(client, f)
            let reference = try #require(try DecodedAttestation(text: token).claims.status)
            let terminal = StatusListCache(trustStore: f.services.verifier.trustStore)
            func fetch() async throws {
                let response = try await client.execute(uri: "/v1/status/0", method: .get)
                try terminal.store(token: Array(response.body.readableBytesView), fetchedAt: Date())
            }
            try await fetch()
            #expect(terminal.status(of: reference, now: Date(), maximumAge: 86_400) == .valid)

            _ = try await client.post("/v1/attestations/\(id)/revoke", json: "{}", key: f.revokeKey)
            #expect(terminal.status(of: reference, now: Date(), maximumAge: 86_400) == .valid, "not refreshed yet")
            try await fetch()
            #expect(terminal.status(of: reference, now: Date(), maximumAge: 86_400) == .revoked)
            #expect(terminal.status(of: reference, now: Date().addingTimeInterval(86_401), maximumAge: 86_400) == .unavailable)
        }
    }

    @Test func listURIsForTerminals() async throws {
        try await withApp { f, client in
            _ = try await issue(client, f)
            let prefix = f.services.configuration.publicURL + "/v1/status/"
            #expect(f.services.statusLists.allocator.listURIs == [prefix + "0", prefix + "1"], "the next list is published ahead")
            let next = try await client.execute(uri: "/v1/status/1", method: .get)
            #expect(next.status == .ok && next.headers[.contentType] == "application/statuslist+cwt")
        }
    }
}
