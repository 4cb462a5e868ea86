import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchServer
import VouchTerminal
import VouchVerifier

/// The HTTP surface of the terminal role, the checkout page, and the
/// issuer's signed trust bundle, in-process.
@Suite struct TerminalRouterTests {
    func terminalServices(_ rig: TerminalFixture) throws -> TerminalServices {
        let root = rig.issuer.directory.appendingPathComponent("data/certs/root-ca.pem").path
        var configuration = TerminalConfiguration(upstream: URL(string: "http://issuer.invalid")!, upstreamRootPaths: [root])
        configuration.port = 0
        configuration.dataDirectory = rig.directory
        configuration.certsDirectory = rig.issuer.directory.appendingPathComponent("Certs")
        return try TerminalServices.start(
            configuration,
            client: InProcessUpstream(fixture: rig), logger: rig.issuer.logs.logger)
    }

    @Test func terminalServesPageStateVerifyAndPolicies() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let services = try terminalServices(rig)
        let token = try await rig.issue()
        let app = Application(router: buildTerminalRouter(terminal: services))
        try await app.test(.router) { client in
            // Before the first sync: no data, not ready, nothing accepted.
            let empty = try await client.execute(uri: "/v1/terminal/state", method: .get)
            #expect(empty.json["role"] as? String == "terminal")
            #expect(empty.json["trust_synced_at"] is NSNull)
            #expect(empty.json["offline"] as? Bool == true)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .serviceUnavailable)
            let early = try await client.post("/v1/verify", json: #"{"token": "\#(token)", "policy": "static-age-18"}"#)
            #expect(early.json["reason"] as? String == "status_unavailable")
            #expect(early.json["message"] as? String == "No trust data: terminal never synced")

            #expect(await services.sync.syncOnce())
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            let state = try await client.execute(uri: "/v1/terminal/state", method: .get)
            #expect(state.json["offline"] as? Bool == false)
            #expect((state.json["trust_age_seconds"] as? Int).map { (0...30).contains($0) } == true)  // just synced; seconds pass on a busy machine
            #expect(state.json["clock_behind"] as? Bool == false)
            let policies = try await client.execute(uri: "/v1/policies", method: .get)
            #expect((policies.json["policies"] as? [[String: Any]])?.contains { $0["id"] as? String == "alcohol-uk" } == true)
            #expect(try await client.execute(uri: "/v1/policies/student-discount", method: .get).status == .ok)

            let accept = try await client.post("/v1/verify", json: #"{"token": "\#(token)", "policy": "static-age-18"}"#)
            #expect(accept.json["decision"] as? String == "accept", "\(accept.text)")
            #expect(accept.json["disclosed"] as? [String: Bool] == ["age_over_18": true])
            let ean = try await client.post("/v1/verify", json: #"{"token": "4006381333931", "policy": "alcohol-uk"}"#)
            #expect(ean.json["message"] as? String == "Not a Vouch code")

            let page = try await client.execute(uri: "/terminal", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let csp = try #require(page.headers[.contentSecurityPolicy])
            #expect(csp.contains("script-src 'sha256-") && csp.contains("default-src 'none'"))
            #expect(page.text.contains(#"id="scan""#) && page.text.contains("BarcodeDetector"))
            #expect(!page.text.contains("http://") && !page.text.contains("https://"), "no CDN, nothing external")
            #expect(try await client.execute(uri: "/", method: .get).headers[.location] == "/terminal")
        }
    }

    @Test func pageScriptAndStyleHashesMatchTheServedPage() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let app = Application(router: buildTerminalRouter(terminal: try terminalServices(rig)))
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/terminal", method: .get)
            let csp = try #require(page.headers[.contentSecurityPolicy])
            for (open, close, directive) in [("<script>", "</script>", "script-src"), ("<style>", "</style>", "style-src")] {
                // Every element of the kind (the page has two scripts: checkout and staff).
                let allowed = try #require(csp.split(separator: ";").first { $0.contains(directive) })
                var from = page.text.startIndex
                var seen = 0
                while let opened = page.text.range(of: open, range: from..<page.text.endIndex) {
                    let end = try #require(page.text.range(of: close, range: opened.upperBound..<page.text.endIndex))
                    let digest = Data(Digest.sha256(Array(page.text[opened.upperBound..<end.lowerBound].utf8)))
                        .base64EncodedString()
                    #expect(allowed.contains("'sha256-\(digest)'"), "\(directive) hash must match the served text")
                    from = end.upperBound
                    seen += 1
                }
                #expect(seen == (directive == "script-src" ? 2 : 1))
            }
        }
    }

    @Test func issuerServesSignedBundleWithETag() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        try await rig.issuer.application().test(.router) { client in
            let cose = try await client.execute(uri: "/v1/trust?format=cose", method: .get)
            #expect(cose.status == .ok)
            #expect(cose.headers[.contentType] == SignedTrustBundle.mediaType)
            let etag = try #require(cose.headers[.eTag])
            let signed = try SignedTrustBundle.open(Array(cose.body.readableBytesView), roots: rig.roots)
            #expect(signed.signer == rig.keys.certificate)
            #expect(try signed.bundle.policyStore().policy(id: "alcohol-uk") != nil)

            let byAccept = try await client.execute(uri: "/v1/trust", method: .get, headers: [.accept: "application/cose"])
            #expect(Array(byAccept.body.readableBytesView) == signed.bytes, "signed once, served the same")
            let again = try await client.execute(uri: "/v1/trust?format=cose", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)

            let json = try await client.execute(uri: "/v1/trust", method: .get)
            #expect(json.headers[.contentType] == "application/json")
            #expect(json.json["iat"] as? Int == Int(signed.bundle.issuedAt))
            #expect((json.json["roots"] as? [[String: Any]])?.count == 1)
            #expect(json.json["policies"] is [[String: Any]])
        }
    }

    @Test func roleAllServesThePageAndIssuerDoesNot() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let all = Application(router: buildRouter(services: rig.issuer.services, role: .all))
        try await all.test(.router) { client in
            #expect(try await client.execute(uri: "/terminal", method: .get).status == .ok)
            let state = try await client.execute(uri: "/v1/terminal/state", method: .get)
            #expect(state.json["role"] as? String == "all")
            #expect(state.json["offline"] as? Bool == false)
        }
        try await rig.issuer.application().test(.router) { client in
            let page = try await client.execute(uri: "/terminal", method: .get)
            #expect(page.status == .notFound)
        }
    }

    @Test func bundleRoundTripsAndRejectsUnknownKeys() throws {
        let bundle = TrustBundle(issuedAt: 1_700_000_000, issuer: "https://i.test", roots: [], issuers: [],
                                 policies: [], statusLists: ["https://i.test/v1/status/1"])
        #expect(try TrustBundle(cbor: bundle.encoded()) == bundle)
        guard case .map(var pairs) = try CBORDecoder.decode(bundle.encoded()) else { Issue.record("not a map"); return }
        pairs.append(CBOR.Pair("extra", .bool(true)))
        #expect(throws: TrustBundleError(.malformed, "")) { try TrustBundle(cbor: CBOR.map(pairs).encoded()) }
        var truncated = bundle.encoded()
        truncated.removeLast()
        #expect(throws: TrustBundleError(.malformed, "")) { try TrustBundle(cbor: truncated) }
    }
}
