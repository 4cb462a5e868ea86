import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VouchCore
import VouchCrypto
import VouchLog
import VouchPostgresTesting
import VouchServer
import VouchStore

/// The wallet routes over HTTP on two nodes sharing one PostgreSQL: offer → redeem → refresh → wallet revoke, each
/// step on either node, the refresh limit counted once for both, and refusals that issue and log nothing.
///
/// Each node has its own data directory and so its own issuer key: a code is verified on the node that signed it;
/// what the nodes share is the database (offers, wallets, API keys, status slots, the log).
@Suite("Wallet routes on PostgreSQL")
struct PostgresWalletRouteTests {
    /// Two nodes on one fresh database, each with an in-process client.
    func withNodes(wallet: WalletConfiguration? = nil,
                   _ body: @Sendable (Nodes, any TestClientProtocol, any TestClientProtocol) async throws -> Void)
        async throws {
        let database = try await PostgresTestCluster.freshSetting()
        let nodes = Nodes(a: try await ServerFixture(wallet: wallet, databaseURL: database.text),
                          b: try await ServerFixture(wallet: wallet, databaseURL: database.text),
                          databaseURL: database.text)
        defer { nodes.a.cleanUp(); nodes.b.cleanUp() }
        let appA = nodes.a.application(), appB = nodes.b.application()
        try await appA.test(.router) { a in
            try await appB.test(.router) { b in try await body(nodes, a, b) }
        }
    }

    struct Nodes: Sendable {
        let a: ServerFixture
        let b: ServerFixture
        let databaseURL: String

        /// Every entry either node committed, once node A's integrator has put it under a checkpoint.
        func logSize() async throws -> Int {
            let integrator = try #require(a.services.integrator)
            var round = try await integrator.step()
            while case .integrated = round { round = try await integrator.step() }
            guard case .idle(let size) = round else {
                Issue.record("integrator round \(round)")
                return -1
            }
            return size
        }
    }

    /// An age offer (born 2000: 16, 18 and 21 met) made on `client`; returns its secret.
    func offer(_ client: some TestClientProtocol, key: String) async throws -> String {
        let response = try await client.post("/v1/offers", json: #"{"kind": "age", "birth_date": "2000-01-01"}"#, key: key)
        #expect(response.status == .created, "\(response.text)")
        let url = try #require(response.json["redeem_url"] as? String)
        return try #require(TestWallet.offerSecret(url))
    }

    func refresh(_ client: some TestClientProtocol, _ wallet: TestWallet, keys: Int = 1) async throws -> TestResponse {
        try await client.post("/v1/wallet/refresh", json: try wallet.refreshBody(keys: TestWallet.keys(keys).map(TestWallet.text)))
    }

    func expectProblem(_ response: TestResponse, _ status: HTTPResponse.Status, _ kind: String, field: String?,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.json["type"] as? String == "urn:vouch:problem:\(kind)", "\(response.text)",
                sourceLocation: sourceLocation)
        #expect(response.json["field"] as? String == field, "\(response.text)", sourceLocation: sourceLocation)
        expectDeclared(response, sourceLocation: sourceLocation)
    }

    @Test("offer on one node, redeem on the other, refresh on both; a presentation of a code is accepted")
    func redeemAndRefreshAcrossNodes() async throws {
        try await withNodes { nodes, a, b in
            let secret = try await offer(a, key: nodes.a.adminKey)
            var wallet = try TestWallet()
            let holders = try TestWallet.keys(3)
            let redeemed = try await b.post("/v1/wallet/redeem",
                                            json: try wallet.redeemBody(offer: secret, keys: holders.map(TestWallet.text)))
            #expect(redeemed.status == .created, "\(redeemed.text)")
            let codes = try #require(redeemed.json["codes"] as? [[String: Any]])
            #expect(codes.map { $0["claim"] as? String } == ["age_over_16", "age_over_18", "age_over_21"])
            wallet.walletID = try #require(redeemed.json["wallet_id"] as? String)
            let record = try #require(try await nodes.a.services.wallets.loadWallet(id: wallet.walletID!))
            #expect(record.issuedCount == 3 && record.publicKey == Array(wallet.walletKey.publicKey.spkiDER.suffix(65)))

            // The over-18 code, shown as the phone shows it, at the node that signed it.
            let over18 = try DecodedAttestation(text: try #require(codes[1]["token"] as? String))
            let shown = try Presentation.sign(credential: over18.coseBytes, time: UInt64(Date().timeIntervalSince1970)) {
                try holders[1].signature(for: $0)
            }
            let verified = try await b.post("/v1/verify", json: #"{"token": "\#(shown.text)", "policy": "alcohol-uk"}"#)
            #expect(verified.json["decision"] as? String == "accept", "\(verified.text)")

            let fromA = try await refresh(a, wallet, keys: 2)
            #expect(fromA.status == .created, "\(fromA.text)")
            #expect((fromA.json["codes"] as? [Any])?.count == 2 && fromA.json["wallet_id"] as? String == wallet.walletID)
            let fromB = try await refresh(b, wallet)
            #expect(fromB.status == .created, "\(fromB.text)")
            let after = try #require(try await nodes.b.services.wallets.loadWallet(id: wallet.walletID!))
            #expect(after.issuedCount == 6 && after.refreshCount == 2)
            #expect(try await nodes.b.services.wallets.loadCodes(wallet: wallet.walletID!).count == 6)
            let verifier = try NoteVerifier(vkey: nodes.a.services.writer.verifierKey)
            _ = try await nodes.logSize()
            let report = try await AuditLogReader(store: nodes.a.services.store)
                .audit(using: LogAuditor(origin: verifier.name, verifiers: [verifier]))
            #expect(report.problems.isEmpty, "\(report.problems)")
        }
    }

    @Test("the refresh limit is one for both nodes, answered 429 with Retry-After, and holds for a node started later")
    func refreshLimitShared() async throws {
        try await withNodes(wallet: WalletConfiguration(refreshInterval: 3600)) { nodes, a, b in
            let secret = try await offer(b, key: nodes.b.adminKey)
            var wallet = try TestWallet()
            let redeemed = try await a.post("/v1/wallet/redeem",
                                            json: try wallet.redeemBody(offer: secret, keys: TestWallet.keys(1).map(TestWallet.text)))
            wallet.walletID = try #require(redeemed.json["wallet_id"] as? String)
            // A burst of two: one on each node. Counted per node in memory, each node would allow two more.
            #expect(try await refresh(a, wallet).status == .created)
            #expect(try await refresh(b, wallet).status == .created)
            let size = try await nodes.logSize()
            for client in [a, b] as [any TestClientProtocol] {
                let limited = try await refresh(client, wallet)
                expectProblem(limited, .tooManyRequests, "rate-limited", field: nil)
                let wait = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
                #expect((3500...3600).contains(wait), "Retry-After \(wait)")
                #expect(limited.json["detail"] as? String == "retry after \(wait) s")
            }
            // A node started after the refreshes (a restart: nothing in its memory) refuses too.
            let later = try await ServerFixture(wallet: WalletConfiguration(refreshInterval: 3600),
                                                databaseURL: nodes.databaseURL)
            defer { later.cleanUp() }
            let limitedWallet = wallet
            try await later.application().test(.router) { c in
                expectProblem(try await refresh(c, limitedWallet), .tooManyRequests, "rate-limited", field: nil)
            }
            #expect(try await nodes.logSize() == size)
            let record = try #require(try await nodes.a.services.wallets.loadWallet(id: wallet.walletID!))
            #expect(record.refreshCount == 2 && record.issuedCount == 3)
        }
    }

    @Test("a wallet revoked on one node: the other serves its codes revoked in the status list and refuses refresh")
    func revokeAcrossNodes() async throws {
        try await withNodes { nodes, a, b in
            let secret = try await offer(a, key: nodes.a.adminKey)
            var wallet = try TestWallet()
            let redeemed = try await a.post("/v1/wallet/redeem",
                                            json: try wallet.redeemBody(offer: secret, keys: TestWallet.keys(2).map(TestWallet.text)))
            #expect(redeemed.status == .created, "\(redeemed.text)")
            wallet.walletID = try #require(redeemed.json["wallet_id"] as? String)
            #expect(try await refresh(b, wallet).status == .created)
            let codes = try await nodes.a.services.wallets.loadCodes(wallet: wallet.walletID!)
            #expect(codes.count == 3)
            let slots = try codes.map { try #require($0.statusSlot) }
            func served(_ client: some TestClientProtocol, _ slot: StatusSlot) async throws -> UInt8 {
                let list = try await client.execute(uri: "/v1/status/\(slot.list)", method: .get)
                #expect(list.status == .ok)
                return try SignedStatusListToken(coseBytes: Array(list.body.readableBytesView)).token.list[slot.index]
            }
            for slot in slots { #expect(try await served(a, slot) == 0) }

            let revoked = try await b.post("/v1/wallets/\(wallet.walletID!)/revoke", json: "{}", key: nodes.b.revokeKey)
            #expect(revoked.status == .ok, "\(revoked.text)")
            #expect(revoked.json["revoked_codes"] as? Int == 3 && revoked.json["already_revoked"] as? Bool == false)
            for slot in slots {
                #expect(try await served(a, slot) == AttestationState.revoked.statusValue, "slot \(slot)")
            }
            expectProblem(try await refresh(a, wallet), .forbidden, "wallet-revoked", field: "wallet_id")
            let again = try await a.post("/v1/wallets/\(wallet.walletID!)/revoke", json: "{}", key: nodes.a.revokeKey)
            #expect(again.json["revoked_codes"] as? Int == 0 && again.json["already_revoked"] as? Bool == true)
            #expect(try await nodes.a.services.wallets.loadCodes(wallet: wallet.walletID!).allSatisfy { $0.state == .revoked })
        }
    }

    @Test("a refused redeem issues and logs nothing: an offer redeemed twice, from two nodes at once, a key in use")
    func refusedRedeems() async throws {
        try await withNodes { nodes, a, b in
            let first = try await offer(a, key: nodes.a.adminKey)
            let used = try TestWallet.keys(1)
            let wallet = try TestWallet()
            #expect(try await a.post("/v1/wallet/redeem", json: try wallet.redeemBody(offer: first, keys: used.map(TestWallet.text)))
                .status == .created)
            let size = try await nodes.logSize()
            let fresh = try TestWallet.keys(1).map(TestWallet.text)

            // The same offer again, on the other node.
            expectProblem(try await b.post("/v1/wallet/redeem", json: try TestWallet().redeemBody(offer: first, keys: fresh)),
                          .conflict, "offer-redeemed", field: "offer")
            // A holder key or the wallet key that another wallet holds, on either node; the offer stays good.
            let second = try await offer(b, key: nodes.b.adminKey)
            expectProblem(try await b.post("/v1/wallet/redeem",
                                           json: try TestWallet().redeemBody(offer: second, keys: fresh + used.map(TestWallet.text))),
                          .conflict, "key-in-use", field: "keys")
            expectProblem(try await a.post("/v1/wallet/redeem", json: try wallet.redeemBody(offer: second, keys: fresh)),
                          .conflict, "key-in-use", field: "wallet_key")
            expectProblem(try await a.post("/v1/wallet/redeem", json: try TestWallet().redeemBody(offer: second, keys: fresh + fresh)),
                          .unprocessableContent, "invalid-field", field: "keys")
            #expect(try await nodes.logSize() == size)
            #expect(try await nodes.a.services.wallets.loadUsedKeyHashes(fresh.map { try keyHash($0) }).isEmpty)

            // One offer redeemed from both nodes at once: one batch, never two.
            let raced = try await offer(a, key: nodes.a.adminKey)
            let bodies = try (0..<2).map { _ in try TestWallet().redeemBody(offer: raced, keys: TestWallet.keys(2).map(TestWallet.text)) }
            async let fromA = a.post("/v1/wallet/redeem", json: bodies[0])
            async let fromB = b.post("/v1/wallet/redeem", json: bodies[1])
            let answers = try await [fromA, fromB]
            #expect(answers.map(\.status.code).sorted() == [201, 409], "\(answers.map(\.text))")
            for refused in answers where refused.status != .created {
                expectProblem(refused, .conflict, "offer-redeemed", field: "offer")
            }
            // Two codes and at most one receipt-key entry (the first issuance on node B) were logged: no more.
            let grown = try await nodes.logSize() - size
            #expect((2...3).contains(grown), "\(grown) entries")
            #expect(try await a.post("/v1/wallet/redeem", json: try TestWallet().redeemBody(offer: second, keys: fresh))
                .status == .created)
            for node in [nodes.a, nodes.b] {
                #expect(!node.logs.text.contains(first) && !node.logs.text.contains(raced))
            }
        }
    }

    func keyHash(_ text: String) throws -> [UInt8] {
        WalletStore.hash(try #require(Base64URLText.decode(text, maximumLength: 100)))
    }
}
