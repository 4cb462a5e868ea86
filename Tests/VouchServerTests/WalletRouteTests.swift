import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VouchCore
import VouchCrypto
import VouchServer
import VouchStore

/// Offers, redemption, refresh and wallet revocation in-process, every refusal with its field and nothing logged.
@Suite struct WalletRouteTests {
    func withApp(wallet: WalletConfiguration? = nil,
                 _ body: @Sendable (ServerFixture, any TestClientProtocol) async throws -> Void) async throws {
        let fixture = try await ServerFixture(wallet: wallet)
        defer { fixture.cleanUp() }
        try await fixture.application().test(.router) { client in try await body(fixture, client) }
    }

    func expectProblem(_ response: TestResponse, _ status: HTTPResponse.Status, _ kind: String, field: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        #expect(response.json["type"] as? String == "urn:vouch:problem:\(kind)", "\(response.text)",
                sourceLocation: sourceLocation)
        #expect(response.json["field"] as? String == field, "\(response.text)", sourceLocation: sourceLocation)
        expectDeclared(response, sourceLocation: sourceLocation)  // and the spec declares it for the route
    }

    /// Makes an age offer for someone born in 2000 (16, 18 and 21 met) and returns its secret.
    func offer(_ f: ServerFixture, _ client: some TestClientProtocol, json: String = #"{"kind": "age", "birth_date": "2000-01-01"}"#)
        async throws -> String {
        let response = try await client.post("/v1/offers", json: json, key: f.adminKey)
        #expect(response.status == .created, "\(response.text)")
        let url = try #require(response.json["redeem_url"] as? String)
        #expect(url.hasPrefix(f.services.configuration.publicURL + "/wallet#offer="))
        return try #require(TestWallet.offerSecret(url))
    }

    @Test("an offer redeems once into holder-bound codes, thresholds in turn, each logged")
    func redeem() async throws {
        try await withApp { f, client in
            let secret = try await offer(f, client)
            let wallet = try TestWallet()
            let keys = try TestWallet.keys(4)
            let texts = keys.map(TestWallet.text)
            let sent = Int(Date().timeIntervalSince1970)
            let response = try await client.post("/v1/wallet/redeem", json: try wallet.redeemBody(offer: secret, keys: texts))
            let answered = Int(Date().timeIntervalSince1970)
            #expect(response.status == .created, "\(response.text)")
            let codes = try #require(response.json["codes"] as? [[String: Any]])
            #expect(codes.map { $0["claim"] as? String } == ["age_over_16", "age_over_18", "age_over_21", "age_over_16"])
            // The server's clock, read while it answered: between the request and its answer (a loaded machine may take seconds).
            let serverTime = try #require(response.json["server_time"] as? Int)
            #expect((sent...answered).contains(serverTime), "server_time \(serverTime) outside \(sent)...\(answered)")
            #expect(await f.services.writer.treeSize == 5)
            for (code, key) in zip(codes, keys) {
                let token = try #require(code["token"] as? String)
                let decoded = try DecodedAttestation(text: token)
                // cnf = {1: {1: 2, -1: 1, -2: x, -3: sign bit of y}}: this code's own key, compressed.
                let point = Array(key.publicKey.spkiDER.suffix(65))
                let coseKey = try #require(decoded.claims.holderKey)
                #expect(coseKey == key.publicKey.coseKey)
                #expect(coseKey.x == Array(point[1...32]) && coseKey.y == .signBit(point[64] & 1 == 1))
                #expect(decoded.claims.status != nil)
            }
            let walletID = try #require(response.json["wallet_id"] as? String)
            let record = try #require(try f.services.wallets.wallet(id: walletID))
            #expect(record.issuedCount == 4 && record.ageOver == [16, 18, 21])
            #expect(record.publicKey == Array(wallet.walletKey.publicKey.spkiDER.suffix(65)))

            let again = try await client.post("/v1/wallet/redeem",
                                              json: try TestWallet().redeemBody(offer: secret, keys: [TestWallet.text(try PrivateKey.generate(.es256))]))
            expectProblem(again, .conflict, "offer-redeemed", field: "offer")
            #expect(await f.services.writer.treeSize == 5)
        }
    }

    @Test("every malformed redeem request is refused naming its field, with nothing issued or logged")
    func redeemRefusals() async throws {
        try await withApp { f, client in
            let secret = try await offer(f, client)
            let used = try await offer(f, client)
            let usedKey = try PrivateKey.generate(.es256)
            let first = try await client.post("/v1/wallet/redeem",
                                              json: try TestWallet().redeemBody(offer: used, keys: [TestWallet.text(usedKey)]))
            #expect(first.status == .created)
            let size = await f.services.writer.treeSize
            let wallet = try TestWallet()
            let good = try TestWallet.keys(2).map(TestWallet.text)
            let offCurve = Base64URLText.encode([0x04] + Array(repeating: 1, count: 64))
            let cases: [(String, HTTPResponse.Status, String, String)] = [
                (try wallet.redeemBody(offer: "not-base64!", keys: good), .unprocessableContent, "invalid-field", "offer"),
                (try wallet.redeemBody(offer: Base64URLText.encode(Array(repeating: 0, count: 31)), keys: good),
                 .unprocessableContent, "invalid-field", "offer"),
                (try wallet.redeemBody(offer: Base64URLText.encode(Array(repeating: 0, count: 32)), keys: good),
                 .notFound, "unknown-offer", "offer"),
                (try wallet.redeemBody(offer: secret, keys: [good[0], "AAAA"]), .unprocessableContent, "invalid-field", "keys"),
                (try wallet.redeemBody(offer: secret, keys: [offCurve]), .unprocessableContent, "invalid-field", "keys"),
                (try wallet.redeemBody(offer: secret, keys: [good[0], good[1], good[0]]), .unprocessableContent, "invalid-field", "keys"),
                (try wallet.redeemBody(offer: secret, keys: [wallet.walletKeyText]), .unprocessableContent, "invalid-field", "keys"),
                (try wallet.redeemBody(offer: secret, keys: []), .unprocessableContent, "invalid-field", "keys"),
                (try wallet.redeemBody(offer: secret, keys: try TestWallet.keys(21).map(TestWallet.text)),
                 .unprocessableContent, "invalid-field", "keys"),
                (try wallet.redeemBody(offer: secret, keys: good, signer: try PrivateKey.generate(.es256)),
                 .forbidden, "bad-signature", "proof"),
                (try wallet.redeemBody(offer: secret, keys: [good[0], TestWallet.text(usedKey)]), .conflict, "key-in-use", "keys"),
                (try TestWallet.json(["offer": secret, "wallet_key": "xyz", "keys": good, "proof": "AA"]),
                 .unprocessableContent, "invalid-field", "wallet_key"),
                (try TestWallet.json(["offer": secret, "wallet_key": wallet.walletKeyText, "keys": good, "proof": "AA"]),
                 .unprocessableContent, "invalid-field", "proof"),
                (try TestWallet.json(["offer": secret, "wallet_key": wallet.walletKeyText, "keys": good, "proof": "AA", "x": 1]),
                 .badRequest, "bad-request", "x"),
            ]
            for (body, status, kind, field) in cases {
                expectProblem(try await client.post("/v1/wallet/redeem", json: body), status, kind, field: field)
            }
            #expect(await f.services.writer.treeSize == size)
            // The offer is still good after all of that.
            let ok = try await client.post("/v1/wallet/redeem", json: try wallet.redeemBody(offer: secret, keys: good))
            #expect(ok.status == .created, "\(ok.text)")
        }
    }

    @Test("an expired offer is refused with 410 and issues nothing")
    func expiredOffer() async throws {
        try await withApp(wallet: WalletConfiguration(offerLifetime: 1)) { f, client in
            let secret = try await offer(f, client)
            try await Task.sleep(for: .milliseconds(2100))
            let response = try await client.post("/v1/wallet/redeem",
                                                 json: try TestWallet().redeemBody(offer: secret, keys: TestWallet.keys(1).map(TestWallet.text)))
            expectProblem(response, .gone, "offer-expired", field: "offer")
            #expect(await f.services.writer.treeSize == 0)
        }
    }

    @Test("offer requests are checked: kind, fields of the other kind, batch size, no threshold met")
    func offerRefusals() async throws {
        try await withApp { f, client in
            let cases: [(String, HTTPResponse.Status, String, String)] = [
                (#"{"kind": "identity", "birth_date": "2000-01-01"}"#, .unprocessableContent, "invalid-field", "kind"),
                (#"{"kind": "age"}"#, .unprocessableContent, "invalid-field", "birth_date"),
                (#"{"kind": "age", "birth_date": "2000-02-30"}"#, .unprocessableContent, "invalid-field", "birth_date"),
                (#"{"kind": "age", "birth_date": "2000-01-01", "concession": "student"}"#, .unprocessableContent, "invalid-field", "concession"),
                (#"{"kind": "age", "birth_date": "2000-01-01", "batch_size": 51}"#, .unprocessableContent, "invalid-field", "batch_size"),
                (#"{"kind": "age", "birth_date": "2020-01-01"}"#, .unprocessableContent, "not-eligible", "birth_date"),
                (#"{"kind": "concession", "concession": "pirate", "valid_until": "2030-01-01"}"#, .unprocessableContent, "invalid-field", "concession"),
                (#"{"kind": "concession", "concession": "student", "valid_until": "2001-01-01"}"#, .unprocessableContent, "invalid-field", "valid_until"),
                (#"{"kind": "concession", "concession": "student", "valid_until": "2030-01-01", "thresholds": [18]}"#, .unprocessableContent, "invalid-field", "thresholds"),
            ]
            for (body, status, kind, field) in cases {
                expectProblem(try await client.post("/v1/offers", json: body, key: f.adminKey), status, kind, field: field)
            }
            let anonymous = try await client.post("/v1/offers", json: #"{"kind": "age", "birth_date": "2000-01-01"}"#)
            #expect(anonymous.status == .unauthorized)
            expectDeclared(anonymous)
            let revoker = try await client.post("/v1/offers", json: #"{"kind": "age", "birth_date": "2000-01-01"}"#, key: f.revokeKey)
            #expect(revoker.status == .forbidden)
            expectDeclared(revoker)
            let png = try await client.post("/v1/offers", json: #"{"kind": "age", "birth_date": "2000-01-01"}"#,
                                            key: f.adminKey, headers: [.accept: "image/png"])
            #expect(png.status == .created && png.headers[.contentType] == "image/png")
            #expect(Array(png.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4e, 0x47])
        }
    }

    @Test("refresh tops up with a signed, timed, single-use request; revoking the wallet revokes its codes and stops it")
    func refreshAndRevoke() async throws {
        try await withApp { f, client in
            let until = ISOTime.utc(UInt64(Date().timeIntervalSince1970) + 200 * 86_400).prefix(10)
            let secret = try await offer(f, client, json: #"{"kind": "concession", "concession": "student", "valid_until": "\#(until)", "batch_size": 2}"#)
            var wallet = try TestWallet()
            let redeemed = try await client.post("/v1/wallet/redeem",
                                                 json: try wallet.redeemBody(offer: secret, keys: TestWallet.keys(2).map(TestWallet.text)))
            #expect(redeemed.status == .created, "\(redeemed.text)")
            #expect((redeemed.json["codes"] as? [[String: Any]])?.map { $0["claim"] as? String } == ["student", "student"])
            wallet.walletID = redeemed.json["wallet_id"] as? String
            let nonce = Base64URLText.encode(try SecureRandom.bytes(count: 16))
            let refreshed = try await client.post("/v1/wallet/refresh",
                                                  json: try wallet.refreshBody(keys: TestWallet.keys(2).map(TestWallet.text), nonce: nonce))
            #expect(refreshed.status == .created, "\(refreshed.text)")
            #expect((refreshed.json["codes"] as? [Any])?.count == 2)
            #expect(await f.services.writer.treeSize == 5)

            let fresh = try TestWallet.keys(1).map(TestWallet.text)
            var stranger = wallet
            stranger.walletID = String(repeating: "ab", count: 16)
            let cases: [(String, HTTPResponse.Status, String, String)] = [
                (try wallet.refreshBody(keys: fresh, nonce: nonce), .conflict, "replayed-nonce", "nonce"),
                (try wallet.refreshBody(keys: fresh, time: Int(Date().timeIntervalSince1970) - 400), .unprocessableContent, "clock-off", "time"),
                (try wallet.refreshBody(keys: fresh, signer: try PrivateKey.generate(.es256)), .forbidden, "bad-signature", "signature"),
                (try wallet.refreshBody(keys: fresh, nonce: "short"), .unprocessableContent, "invalid-field", "nonce"),
                (try stranger.refreshBody(keys: fresh), .notFound, "unknown-wallet", "wallet_id"),
                (try wallet.refreshBody(keys: TestWallet.keys(3).map(TestWallet.text)), .unprocessableContent, "invalid-field", "keys"),
            ]
            for (body, status, kind, field) in cases {
                expectProblem(try await client.post("/v1/wallet/refresh", json: body), status, kind, field: field)
            }
            #expect(await f.services.writer.treeSize == 5)
            let token = try #require((refreshed.json["codes"] as? [[String: Any]])?.first?["token"] as? String)
            let before = try await client.post("/v1/verify", json: #"{"token": "\#(token)", "policy": "student-discount"}"#)
            #expect(before.json["decision"] as? String == "accept", "\(before.text)")

            let id = try #require(wallet.walletID)
            let forbidden = try await client.post("/v1/wallets/\(id)/revoke", json: "{}")
            #expect(forbidden.status == .unauthorized)
            expectDeclared(forbidden)
            let revoked = try await client.post("/v1/wallets/\(id)/revoke", json: "{}", key: f.revokeKey)
            #expect(revoked.status == .ok, "\(revoked.text)")
            #expect(revoked.json["revoked_codes"] as? Int == 4 && revoked.json["already_revoked"] as? Bool == false)
            #expect(await f.services.writer.treeSize == 9)
            let after = try await client.post("/v1/verify", json: #"{"token": "\#(token)", "policy": "student-discount"}"#)
            #expect(after.json["reason"] as? String == "revoked", "\(after.text)")
            expectProblem(try await client.post("/v1/wallet/refresh", json: try wallet.refreshBody(keys: fresh)),
                          .forbidden, "wallet-revoked", field: "wallet_id")
            expectProblem(try await client.post("/v1/wallets/\(String(repeating: "cd", count: 16))/revoke", json: "{}", key: f.revokeKey),
                          .notFound, "unknown-wallet", field: "id")
            expectProblem(try await client.post("/v1/wallets/nothex/revoke", json: "{}", key: f.revokeKey),
                          .unprocessableContent, "invalid-field", field: "id")
            #expect(await f.services.writer.treeSize == 9)
        }
    }

    @Test("refresh is rate-limited per wallet")
    func refreshRateLimit() async throws {
        try await withApp(wallet: WalletConfiguration(refreshInterval: 3600)) { f, client in
            let secret = try await offer(f, client)
            var wallet = try TestWallet()
            let redeemed = try await client.post("/v1/wallet/redeem",
                                                 json: try wallet.redeemBody(offer: secret, keys: TestWallet.keys(1).map(TestWallet.text)))
            wallet.walletID = redeemed.json["wallet_id"] as? String
            for _ in 0..<2 {
                let ok = try await client.post("/v1/wallet/refresh", json: try wallet.refreshBody(keys: TestWallet.keys(1).map(TestWallet.text)))
                #expect(ok.status == .created, "\(ok.text)")
            }
            let limited = try await client.post("/v1/wallet/refresh", json: try wallet.refreshBody(keys: TestWallet.keys(1).map(TestWallet.text)))
            #expect(limited.status == .tooManyRequests && limited.headers[.retryAfter] != nil)
            expectDeclared(limited)
            #expect(await f.services.writer.treeSize == 4)
        }
    }

    @Test("privacy: the birth date of an offer is in no database file, log line or metric")
    func privacyCanary() async throws {
        try await withApp { f, client in
            let birthDate = "1987-06-05"
            let secret = try await offer(f, client, json: #"{"kind": "age", "birth_date": "\#(birthDate)"}"#)
            let response = try await client.post("/v1/wallet/redeem",
                                                 json: try TestWallet().redeemBody(offer: secret, keys: TestWallet.keys(2).map(TestWallet.text)))
            #expect(response.status == .created)
            let bytes = try f.databaseBytes()
            #expect(bytes.range(of: Data(birthDate.utf8)) == nil)
            #expect(bytes.range(of: Data("19870605".utf8)) == nil)
            #expect(bytes.range(of: Data(secret.utf8)) == nil)
            #expect(!f.logs.text.contains(birthDate) && !f.logs.text.contains(secret))
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(metrics.contains("vouch_attestations_issued_total"))
            #expect(!metrics.contains(birthDate) && !metrics.contains(secret))
            #expect(!metricsWithoutValues(metrics).contains("1987"))
            // The canary would see a leak: the offer's thresholds are stored.
            #expect(bytes.range(of: Data("16,18,21".utf8)) != nil)
        }
    }
}
