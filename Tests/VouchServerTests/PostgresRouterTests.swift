import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VouchCore
import VouchLog
import VouchPostgresTesting
import VouchServer
import VouchStore

/// The HTTP service on PostgreSQL: issuance, revocation, the log and the status list, and what a node does when
/// the database goes away.
@Suite("Router on PostgreSQL")
struct PostgresRouterTests {
    @Test("issue, verify, revoke over HTTP; the integrator signs a checkpoint that proves the entries")
    func issueAndRevoke() async throws {
        let database = try await PostgresTestCluster.freshSetting()
        let fixture = try await ServerFixture(databaseURL: database.text)
        defer { fixture.cleanUp() }
        let integrator = try #require(fixture.services.integrator)
        try await fixture.application().test(.router) { client in
            let response = try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01"}"#,
                                                 key: fixture.adminKey)
            #expect(response.status == .created, "\(response.text)")
            let list = try #require(response.json["attestations"] as? [[String: Any]])
            let over18 = try #require(list[1]["token"] as? String)
            let id = try #require(list[1]["id"] as? String)
            let verify = try await client.post("/v1/verify", json: #"{"token": "\#(over18)", "policy": "static-age-18"}"#)
            #expect(verify.json["decision"] as? String == "accept", "\(verify.text)")

            let revoked = try await client.post("/v1/attestations/\(id)/revoke", json: #"{"reason": "lost"}"#,
                                                key: fixture.revokeKey)
            #expect(revoked.status == .ok, "\(revoked.text)")
            #expect(revoked.json["state"] as? String == "revoked")
            let logIndex = try #require(revoked.json["log_index"] as? Int)
            let again = try await client.post("/v1/verify", json: #"{"token": "\#(over18)", "policy": "static-age-18"}"#)
            #expect(again.json["reason"] as? String == "revoked", "\(again.text)")

            // Integrated by this node's integrator (it takes the free lease), then provable over HTTP.
            var round = try await integrator.step()
            while case .integrated = round { round = try await integrator.step() }
            #expect(round == .idle(size: logIndex + 1))
            let checkpoint = try await client.execute(uri: "/v1/log/checkpoint", method: .get)
            #expect(checkpoint.status == .ok)
            #expect(checkpoint.text.contains("\n\(logIndex + 1)\n"), "\(checkpoint.text)")
            let proof = try await client.execute(uri: "/v1/log/proof/inclusion?index=1&size=\(logIndex + 1)", method: .get)
            #expect(proof.status == .ok, "\(proof.text)")
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
        }
        let verifier = try NoteVerifier(vkey: fixture.services.writer.verifierKey)
        let report = try await AuditLogReader(store: fixture.services.store)
            .audit(using: LogAuditor(origin: verifier.name, verifiers: [verifier]))
        #expect(report.problems.isEmpty, "\(report.problems)")
    }

    @Test("a key revoked on one node stops working on another within the key cache time")
    func keyRevokedOnEveryNode() async throws {
        let database = try await PostgresTestCluster.freshSetting()
        let nodeA = try await ServerFixture(apiKeyCacheSeconds: 1, databaseURL: database.text)
        let nodeB = try await ServerFixture(apiKeyCacheSeconds: 1, databaseURL: database.text)
        defer { nodeA.cleanUp(); nodeB.cleanUp() }
        let (key, secret) = try await nodeA.services.apiKeys.createKey(name: "desk", scopes: [.issue])
        try await nodeB.application().test(.router) { client in
            let body = #"{"birth_date": "2000-01-01", "thresholds": [18]}"#
            #expect(try await client.post("/v1/attestations/age", json: body, key: secret).status == .created)
            try await nodeA.services.apiKeys.revokeKey(id: key.id)
            try await Task.sleep(for: .milliseconds(1200))
            let refused = try await client.post("/v1/attestations/age", json: body, key: secret)
            #expect(refused.status == .unauthorized, "\(refused.text)")
        }
    }

    @Test("while the database refuses connections requests get 503 problem JSON in bounded time, then recover")
    func databaseDown() async throws {
        let database = try await PostgresTestCluster.freshSetting()
        let fixture = try await ServerFixture(apiKeyCacheSeconds: 0, databaseURL: database.text)
        defer { fixture.cleanUp() }
        let admin = try await PostgresTestCluster.admin()
        let body = #"{"birth_date": "2000-01-01", "thresholds": [18]}"#
        try await fixture.application().test(.router) { client in
            #expect(try await client.post("/v1/attestations/age", json: body, key: fixture.adminKey).status == .created)
            try await PostgresTestCluster.psql(admin, "ALTER DATABASE \(database.url.database) ALLOW_CONNECTIONS false")
            try await PostgresTestCluster.psql(admin, """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database.url.database)'
                """)
            let start = ContinuousClock.now
            for request in [("/readyz", nil), ("/v1/attestations/age", body), ("/v1/log/checkpoint", nil)] {
                let response = if let json = request.1 {
                    try await client.post(request.0, json: json, key: fixture.adminKey)
                } else {
                    try await client.execute(uri: request.0, method: .get)
                }
                #expect(response.status == .serviceUnavailable, "\(request.0): \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.json["type"] as? String == "urn:vouch:problem:unavailable")
            }
            #expect(start.duration(to: .now) < .seconds(25))
            try await PostgresTestCluster.psql(admin, "ALTER DATABASE \(database.url.database) ALLOW_CONNECTIONS true")
            var recovered = false
            for _ in 0..<20 where !recovered {
                recovered = try await client.post("/v1/attestations/age", json: body, key: fixture.adminKey).status == .created
                if !recovered { try await Task.sleep(for: .milliseconds(500)) }
            }
            #expect(recovered)
        }
    }

    @Test("a revocation through one node is in the status list every node serves, signed once per change")
    func statusListAcrossNodes() async throws {
        let database = try await PostgresTestCluster.freshSetting()
        let nodeA = try await ServerFixture(databaseURL: database.text)
        let nodeB = try await ServerFixture(databaseURL: database.text)
        defer { nodeA.cleanUp(); nodeB.cleanUp() }
        let appA = nodeA.application(), appB = nodeB.application()
        let body = #"{"birth_date": "2000-01-01", "thresholds": [18]}"#
        try await appA.test(.router) { a in
            try await appB.test(.router) { b in
                let issued = try await a.post("/v1/attestations/age", json: body, key: nodeA.adminKey)
                let code = try #require((issued.json["attestations"] as? [[String: Any]])?.first)
                let token = try #require(code["token"] as? String), id = try #require(code["id"] as? String)
                let status = try #require(try DecodedAttestation(text: token).claims.status)
                let path = "/v1/status/" + (status.uri.split(separator: "/").last.map(String.init) ?? "")
                let beforeA = try await a.execute(uri: path, method: .get)
                let beforeB = try await b.execute(uri: path, method: .get)
                #expect(beforeA.status == .ok && beforeB.status == .ok)
                #expect(beforeA.body == beforeB.body, "two nodes signed the same list contents twice")

                #expect(try await a.post("/v1/attestations/\(id)/revoke", json: #"{"reason": "lost"}"#,
                                         key: nodeA.revokeKey).status == .ok)
                let afterB = try await b.execute(uri: path, method: .get)
                let afterA = try await a.execute(uri: path, method: .get)
                #expect(afterB.headers[.eTag] != beforeB.headers[.eTag])
                #expect(afterA.body == afterB.body)
                let signed = try SignedStatusListToken(coseBytes: Array(afterB.body.readableBytesView))
                #expect(signed.token.list[Int(status.index)] == AttestationState.revoked.statusValue)
                let unchanged = try SignedStatusListToken(coseBytes: Array(beforeB.body.readableBytesView))
                #expect(unchanged.token.list[Int(status.index)] == 0)
            }
        }
    }

    @Test("privacy canary: a unique name, birth date and subject reference appear nowhere in the PostgreSQL database")
    func privacyCanary() async throws {
        let database = try await PostgresTestCluster.freshSetting()
        let fixture = try await ServerFixture(databaseURL: database.text)
        defer { fixture.cleanUp() }
        let canary = "Zqxwvhgname" + String(Int.random(in: 100_000...999_999))
        let subject = "subject-" + canary
        let issuedID = try await fixture.application().test(.router) { client -> String in
            let identity = try await client.post("/v1/attestations/identity", json: """
                {"given_name": "\(canary)", "family_name": "\(canary)son", "birth_date": "1961-07-23",
                 "nationality": "GB", "document_number": "DOC\(canary)", "subject_ref": "\(subject)"}
                """, key: fixture.adminKey)
            #expect(identity.status == .created, "\(identity.text)")
            let age = try await client.post("/v1/attestations/age",
                                            json: #"{"birth_date": "1961-07-23", "subject_ref": "\#(subject)"}"#,
                                            key: fixture.adminKey)
            #expect(age.status == .created, "\(age.text)")
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(!metrics.contains(canary) && !metricsWithoutValues(metrics).contains("1961"))
            // The lock's hold, its wait and the statement part of the hold are all recorded.
            for name in ["vouch_sequencing_lock_seconds_count", "vouch_sequencing_lock_wait_seconds_count",
                         "vouch_sequencing_lock_statement_seconds_count"] {
                #expect(metrics.contains(name), "\(name) is not in /metrics")
            }
            return ((identity.json["attestations"] as? [[String: Any]])?.first?["id"] as? String) ?? ""
        }
        let dump = try await PostgresTestCluster.dump(database.url)
        #expect(dump.count > 1000)
        for needle in [canary, subject, "1961-07-23", "19610723", "DOC" + canary] {
            #expect(dump.range(of: Data(needle.utf8)) == nil, "\(needle) is in the database")
        }
        #expect(!fixture.logs.text.contains(canary))
        // The canary would see a leak: the identity attestation's row is in the dump.
        #expect(!issuedID.isEmpty && dump.range(of: Data(issuedID.utf8)) != nil)
    }
}
