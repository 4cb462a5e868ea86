import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VouchServer
import VouchStore

/// Every endpoint and error in-process (`app.test(.router)`).
@Suite struct RouterTests {
    func withApp(rateLimit: Double = 1000, apiKeyCacheSeconds: Double = 2, _ body: @Sendable (ServerFixture, any TestClientProtocol) async throws -> Void)
        async throws
    {
        let fixture = try await ServerFixture(rateLimit: rateLimit, apiKeyCacheSeconds: apiKeyCacheSeconds)
        defer { fixture.cleanUp() }
        try await fixture.application().test(.router) { client in try await body(fixture, client) }
    }

    func expectProblem(_ response: TestResponse, _ status: HTTPResponse.Status, _ kind: String, field: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        #expect(response.json["type"] as? String == "urn:vouch:problem:\(kind)", "\(response.text)",
                sourceLocation: sourceLocation)
        #expect(response.json["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        if let field { #expect(response.json["field"] as? String == field, "\(response.text)", sourceLocation: sourceLocation) }
    }

    @Test func healthAndReadiness() async throws {
        try await withApp { _, client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.json["status"] as? String == "ready")
        }
    }

    @Test func issueAgeBatchAndVerify() async throws {
        try await withApp { f, client in
            let response = try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01"}"#, key: f.adminKey)
            #expect(response.status == .created, "\(response.text)")
            let list = try #require(response.json["attestations"] as? [[String: Any]])
            #expect(list.map { $0["age_over"] as? Int } == [16, 18, 21])
            let over18 = try #require(list[1]["token"] as? String)
            let verify = try await client.post("/v1/verify", json: #"{"token": "\#(over18)", "policy": "static-age-18"}"#)
            #expect(verify.status == .ok)
            #expect(verify.json["decision"] as? String == "accept", "\(verify.text)")
            #expect((verify.json["disclosed"] as? [String: Any])?["age_over_18"] as? Bool == true)
            let us = try await client.post("/v1/verify", json: #"{"token": "\#(over18)", "policy": "static-age-21"}"#)
            #expect(us.json["reason"] as? String == "requirement_not_met")
            let ean = try await client.post("/v1/verify", json: #"{"token": "5012345678900", "policy": "alcohol-uk"}"#)
            #expect(ean.json["reason"] as? String == "unrecognized")
            let noPolicy = try await client.post("/v1/verify", json: #"{"token": "\#(over18)", "policy": "nope"}"#)
            #expect(noPolicy.json["reason"] as? String == "unknown_policy")
        }
    }

    @Test func qrImagesByAccept() async throws {
        try await withApp { f, client in
            let png = try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01", "thresholds": [18]}"#,
                                            key: f.adminKey, headers: [.accept: "image/png"])
            #expect(png.status == .created)
            #expect(png.headers[.contentType] == "image/png")
            #expect(Array(png.body.readableBytesView.prefix(8)) == [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
            let svg = try await client.post("/v1/attestations/concession", json: #"{"concession": "student", "valid_until": "2027-06-30"}"#,
                                            key: f.adminKey, headers: [.accept: "image/svg+xml"])
            #expect(svg.headers[.contentType] == "image/svg+xml")
            #expect(svg.text.hasPrefix("<svg") || svg.text.hasPrefix("<?xml"))
            let batch = try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01"}"#,
                                              key: f.adminKey, headers: [.accept: "image/png"])
            expectProblem(batch, .notAcceptable, "not-acceptable")
            let qr = try await client.post("/v1/qr", json: #"{"text": "VCH1:ABC", "format": "svg", "scale": 4}"#, key: f.adminKey)
            #expect(qr.status == .ok)
            #expect(qr.headers[.contentType] == "image/svg+xml")
            let badScale = try await client.post("/v1/qr", json: #"{"text": "VCH1:ABC", "scale": 0}"#, key: f.adminKey)
            expectProblem(badScale, .unprocessableContent, "invalid-field", field: "scale")
        }
    }

    @Test func concessionAndIdentity() async throws {
        try await withApp { f, client in
            let student = try await client.post("/v1/attestations/concession",
                                                 json: #"{"concession": "student", "valid_until": "2027-06-30"}"#, key: f.adminKey)
            #expect(student.status == .created)
            let bad = try await client.post("/v1/attestations/concession",
                                            json: #"{"concession": "pirate", "valid_until": "2027-06-30"}"#, key: f.adminKey)
            expectProblem(bad, .unprocessableContent, "invalid-field", field: "concession")
            let identity = try await client.post("/v1/attestations/identity", json: """
                {"given_name": "Ada", "family_name": "Lovelace", "birth_date": "1990-12-10", "nationality": "GB"}
                """, key: f.adminKey)
            #expect(identity.status == .created, "\(identity.text)")
            let badNation = try await client.post("/v1/attestations/identity", json: """
                {"given_name": "Ada", "family_name": "Lovelace", "birth_date": "1990-12-10", "nationality": "XX"}
                """, key: f.adminKey)
            expectProblem(badNation, .unprocessableContent, "invalid-field", field: "nationality")
        }
    }

    @Test("a refused concession or identity request uses up no status slot")
    func refusedRequestsReserveNoSlot() async throws {
        try await withApp { f, client in
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd"
            formatter.timeZone = TimeZone(identifier: "UTC")
            let until = formatter.string(from: Date().addingTimeInterval(100 * 86_400))
            let first = try await client.post("/v1/attestations/concession",
                                              json: #"{"concession": "student", "valid_until": "\#(until)"}"#, key: f.adminKey)
            #expect(first.status == .created, "\(first.text)")
            let before = try #require(f.services.statusLists.allocator.usage)
            let refused = [
                ("/v1/attestations/concession", #"{"concession": "pensioner", "valid_until": "\#(until)"}"#),
                ("/v1/attestations/concession", #"{"concession": "student", "valid_until": "2001-01-01"}"#),
                ("/v1/attestations/identity", #"{"given_name": "Ada", "family_name": "L", "birth_date": "1990-12-10", "nationality": "XX"}"#),
                ("/v1/attestations/identity", #"{"given_name": "", "family_name": "L", "birth_date": "1990-12-10"}"#),
                ("/v1/attestations/age", #"{"birth_date": "2020-01-01", "thresholds": [18]}"#),
            ]
            for (path, body) in refused {
                let response = try await client.post(path, json: body, key: f.adminKey)
                #expect(response.status == .unprocessableContent, "\(path) \(body): \(response.text)")
            }
            #expect(f.services.statusLists.allocator.usage?.used == before.used)
            let next = try await client.post("/v1/attestations/identity",
                                             json: #"{"given_name": "Ada", "family_name": "L", "birth_date": "1990-12-10"}"#,
                                             key: f.adminKey)
            #expect(next.status == .created, "\(next.text)")
            #expect(f.services.statusLists.allocator.usage?.used == before.used + 1)
        }
    }

    @Test func authenticationAndScopes() async throws {
        try await withApp { f, client in
            let body = #"{"birth_date": "2000-01-01"}"#
            expectProblem(try await client.post("/v1/attestations/age", json: body), .unauthorized, "unauthorized")
            let none = try await client.post("/v1/attestations/age", json: body)
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            expectProblem(try await client.post("/v1/attestations/age", json: body, key: "vch_wrong"), .unauthorized, "unauthorized")
            expectProblem(try await client.post("/v1/attestations/age", json: body, key: f.revokeKey), .forbidden, "forbidden")
            var basic: HTTPFields = [.contentType: "application/json", .authorization: "Basic YTpi"]
            basic[.accept] = "application/json"
            let wrongScheme = try await client.execute(uri: "/v1/attestations/age", method: .post, headers: basic,
                                                       body: ByteBuffer(string: body))
            expectProblem(wrongScheme, .unauthorized, "unauthorized")
            // A bad key on a public route is refused too, not silently ignored.
            expectProblem(try await client.post("/v1/verify", json: #"{"token": "x", "policy": "alcohol-uk"}"#, key: "vch_x"),
                          .unauthorized, "unauthorized")
        }
    }

    @Test("a key revoked in the store (as `vouch apikey revoke` does) is refused once the key cache entry expires")
    func revokedKeyRefused() async throws {
        try await withApp(apiKeyCacheSeconds: 0.3) { f, client in
            let (key, secret) = try f.services.apiKeys.create(name: "till-9", scopes: [.issue])
            let body = #"{"birth_date": "2000-01-01", "thresholds": [18]}"#
            #expect(try await client.post("/v1/attestations/age", json: body, key: secret).status == .created)
            try f.services.apiKeys.revoke(id: key.id)
            try await Task.sleep(for: .milliseconds(400))
            expectProblem(try await client.post("/v1/attestations/age", json: body, key: secret), .unauthorized, "unauthorized")
            #expect(try await client.post("/v1/attestations/age", json: body, key: f.adminKey).status == .created)
        }
    }

    @Test func badBodies() async throws {
        try await withApp { f, client in
            let wrongType = try await client.execute(uri: "/v1/attestations/age", method: .post,
                                                     headers: [.contentType: "text/plain", .authorization: "Bearer \(f.adminKey)"],
                                                     body: ByteBuffer(string: "birth_date=2000-01-01"))
            expectProblem(wrongType, .unsupportedMediaType, "unsupported-media-type")
            expectProblem(try await client.post("/v1/attestations/age", json: "{not json", key: f.adminKey), .badRequest, "bad-request")
            expectProblem(try await client.post("/v1/attestations/age", json: "[1]", key: f.adminKey), .badRequest, "bad-request")
            expectProblem(try await client.post("/v1/attestations/age", json: #"{"birthdate": "2000-01-01"}"#, key: f.adminKey),
                          .badRequest, "bad-request", field: "birthdate")
            expectProblem(try await client.post("/v1/attestations/age", json: "{}", key: f.adminKey),
                          .unprocessableContent, "invalid-field", field: "birth_date")
            let bad = try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-02-30"}"#, key: f.adminKey)
            expectProblem(bad, .unprocessableContent, "invalid-field", field: "birth_date")
            #expect(!bad.text.contains("2000-02-30"), "the birth date is never echoed")
            expectProblem(try await client.post("/v1/attestations/age", json: #"{"birth_date": 20000101}"#, key: f.adminKey),
                          .unprocessableContent, "invalid-field", field: "birth_date")
            expectProblem(try await client.post("/v1/attestations/age", json: #"{"birth_date": "2020-01-01"}"#, key: f.adminKey),
                          .unprocessableContent, "not-eligible", field: "birth_date")
            expectProblem(try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01", "thresholds": [true]}"#,
                                                key: f.adminKey), .unprocessableContent, "invalid-field", field: "thresholds")
            expectProblem(try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01", "valid_for": 1.5}"#,
                                                key: f.adminKey), .unprocessableContent, "invalid-field", field: "valid_for")
            let huge = "{\"birth_date\": \"" + String(repeating: "9", count: 70_000) + "\"}"
            expectProblem(try await client.post("/v1/attestations/age", json: huge, key: f.adminKey), .contentTooLarge, "body-too-large")
            expectProblem(try await client.execute(uri: "/v1/nothing", method: .get), .notFound, "not-found")
        }
    }

    @Test func revokeSuspendReinstate() async throws {
        try await withApp { f, client in
            let issued = try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01", "thresholds": [18]}"#,
                                               key: f.adminKey)
            let id = try #require((issued.json["attestations"] as? [[String: Any]])?.first?["id"] as? String)
            let suspended = try await client.post("/v1/attestations/\(id)/revoke", json: #"{"reason": "lost", "suspend": true}"#,
                                                  key: f.revokeKey)
            #expect(suspended.status == .ok, "\(suspended.text)")
            #expect(suspended.json["state"] as? String == "suspended")
            let back = try await client.post("/v1/attestations/\(id)/reinstate", json: "{}", key: f.revokeKey)
            #expect(back.json["state"] as? String == "valid", "\(back.text)")
            let revoked = try await client.post("/v1/attestations/\(id)/revoke", json: #"{"reason": "fraud"}"#, key: f.revokeKey)
            #expect(revoked.json["state"] as? String == "revoked")
            expectProblem(try await client.post("/v1/attestations/\(id)/reinstate", json: "{}", key: f.revokeKey), .conflict, "conflict")
            expectProblem(try await client.post("/v1/attestations/\(String(repeating: "0", count: 32))/revoke", json: "{}",
                                                key: f.revokeKey), .notFound, "not-found")
            expectProblem(try await client.post("/v1/attestations/xyz/revoke", json: "{}", key: f.revokeKey),
                          .unprocessableContent, "invalid-field", field: "id")
            // The issue-only route refuses a revoke-only key, and the revoke route an anonymous caller.
            expectProblem(try await client.post("/v1/attestations/\(id)/revoke", json: "{}"), .unauthorized, "unauthorized")
        }
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        try await withApp(rateLimit: 0.01) { f, client in  // a burst of 1, then one token per 100 s
            var statuses: [HTTPResponse.Status] = []
            var retryAfter: String?
            for _ in 0..<4 {
                let r = try await client.post("/v1/qr", json: #"{"text": "HELLO"}"#, key: f.adminKey)
                statuses.append(r.status)
                if r.status == .tooManyRequests {
                    retryAfter = r.headers[.retryAfter]
                    #expect(r.json["type"] as? String == "urn:vouch:problem:rate-limited")
                }
            }
            #expect(statuses.first == .ok)
            #expect(statuses.dropFirst().allSatisfy { $0 == .tooManyRequests }, "\(statuses)")
            #expect(retryAfter.flatMap(Int.init).map { $0 >= 1 } == true)
        }
    }

    @Test func policiesAndTrust() async throws {
        try await withApp { _, client in
            let list = try await client.execute(uri: "/v1/policies", method: .get)
            let policies = try #require(list.json["policies"] as? [[String: Any]])
            #expect(policies.count >= 12)
            let one = try await client.execute(uri: "/v1/policies/student-discount", method: .get)
            #expect((one.json["require"] as? [String: Any])?["concession"] as? [String] == ["student"])
            expectProblem(try await client.execute(uri: "/v1/policies/nope", method: .get), .notFound, "not-found")
            let trust = try await client.execute(uri: "/v1/trust", method: .get)
            let issuers = try #require(trust.json["issuers"] as? [[String: Any]])
            #expect(issuers.count == 1)
            #expect(issuers.first?["trusted"] as? Bool == true)
            #expect((trust.json["roots"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func metricsHaveRoutesAndTypesButNothingPersonal() async throws {
        try await withApp { f, client in
            _ = try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01"}"#, key: f.adminKey)
            _ = try await client.execute(uri: "/v1/policies/alcohol-uk", method: .get)
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(metrics.contains("vouch_attestations_issued_total{vct=\"age\"}"))
            #expect(metrics.contains("/v1/attestations/age"))
            #expect(metrics.contains("/v1/policies/{id}"), "route patterns, not raw paths")
            #expect(!metrics.contains("2000-01-01"))
            #expect(!metrics.contains("vch_"))
        }
    }

    @Test func openAPIDocumentIsServed() async throws {
        try await withApp { _, client in
            let doc = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(doc.status == .ok)
            #expect(doc.text.hasPrefix("openapi: 3.1"))
        }
    }
}

@Suite struct ISOTimeTests {
    /// The hand-written UTC formatter agrees with Foundation's over centuries.
    @Test func matchesFoundation() {
        let formatter = ISO8601DateFormatter()
        for seconds: UInt64 in [0, 59, 86_399, 86_400, 951_782_400, 1_709_164_800, 1_795_608_000, 4_102_444_799,
                                253_402_300_799] + (0..<200).map({ _ in UInt64.random(in: 0...4_102_444_800) }) {
            #expect(VouchServer.isoTimeForTests(seconds) == formatter.string(from: Date(timeIntervalSince1970: Double(seconds))))
        }
    }
}
