import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchVerifier

/// The signed trust bundle a terminal syncs, and the terminal's rules on top of the verifier.
@Suite struct TrustBundleTests {
    let fixture: VerifierFixture
    let issuerCertificate: Certificate

    init() throws {
        fixture = try VerifierFixture()
        issuerCertificate = fixture.trustStore.snapshot.issuers[0].certificate
    }

    func bundle(iat: Date = VerifierFixture.now, policies: [String]? = nil) throws -> TrustBundle {
        TrustBundle(issuedAt: UInt64(iat.timeIntervalSince1970), issuer: "https://issuer.test", roots: [fixture.root],
                    issuers: [issuerCertificate],
                    policies: policies ?? [Policy.testAge().canonicalJSON, Policy.testAge("strict", status: .required).canonicalJSON],
                    statusLists: ["https://issuer.test/v1/status/0"])
    }

    func signed(_ bundle: TrustBundle) throws -> [UInt8] {
        try SignedTrustBundle.sign(bundle, key: fixture.issuerKey, certificate: issuerCertificate).bytes
    }

    /// A COSE_Sign1 over `payload` with a chosen protected header, signed by the issuer key.
    func sign1(payload: [UInt8], header: [CBOR.Pair]) throws -> [UInt8] {
        let unsigned = COSESign1(protectedHeader: header, payload: payload, signature: [])
        let signature = try fixture.issuerKey.signature(for: unsigned.toBeSigned())
        return COSESign1(protectedHeader: header, payload: payload, signature: signature).encoded()
    }

    var goodHeader: [CBOR.Pair] {
        [CBOR.Pair(1, .int(-7)), CBOR.Pair(4, .bytes(issuerCertificate.kid)),
         CBOR.Pair(3, .text(SignedTrustBundle.contentType)), CBOR.Pair(33, .bytes(issuerCertificate.derRepresentation))]
    }

    @Test func signsAndOpensAgainstTheRoot() throws {
        let original = try bundle()
        let opened = try SignedTrustBundle.open(try signed(original), roots: [fixture.root])
        #expect(opened.bundle == original)
        #expect(opened.signer == issuerCertificate)
        let policies = try opened.bundle.policyStore()
        #expect(policies.policy(id: "strict")?.status == .required)
        #expect(policies.policy(id: "test-age-18") == Policy.testAge())
    }

    @Test func rejectsEveryWayOfBeingWrong() throws {
        let payload = try bundle().encoded()
        func code(_ bytes: [UInt8], roots: [Certificate]? = nil) -> TrustBundleError.Code? {
            do {
                _ = try SignedTrustBundle.open(bytes, roots: roots ?? [fixture.root])
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(try sign1(payload: payload, header: goodHeader)) == nil)
        var flipped = try signed(try bundle())
        flipped[flipped.count - 5] ^= 0x40
        #expect(code(flipped) == .badSignature)
        #expect(code(try sign1(payload: payload, header: Array(goodHeader.dropLast()))) == .malformed, "no x5chain")
        #expect(code(try sign1(payload: payload, header: [goodHeader[0], goodHeader[1], goodHeader[3]])) == .malformed,
                "no content type")
        var wrongKid = goodHeader
        wrongKid[1] = CBOR.Pair(4, .bytes([1, 2, 3, 4, 5, 6, 7, 8]))
        #expect(code(try sign1(payload: payload, header: wrongKid)) == .malformed)
        var eddsa = goodHeader
        eddsa[0] = CBOR.Pair(1, .int(-8))
        #expect(code(try sign1(payload: payload, header: eddsa)) == .unsupportedAlgorithm, "alg must match the key")
        var unknownAlg = goodHeader
        unknownAlg[0] = CBOR.Pair(1, .int(-35))
        #expect(code(try sign1(payload: payload, header: unknownAlg)) == .unsupportedAlgorithm)
        #expect(code(try signed(try bundle()), roots: []) == .untrustedSigner)
        let otherRoot = try CertificateFactory.selfSignedCA(
            commonName: "Other Root", organization: "tests", key: try PrivateKey.generate(.es256),
            notBefore: VerifierFixture.now.addingTimeInterval(-86_400), notAfter: VerifierFixture.now.addingTimeInterval(86_400))
        #expect(code(try signed(try bundle()), roots: [otherRoot]) == .untrustedSigner)
        // Signed at a time the signer's certificate was not valid.
        #expect(code(try signed(try bundle(iat: VerifierFixture.now.addingTimeInterval(86_400 * 500)))) == .untrustedSigner)
        #expect(code([UInt8](repeating: 0, count: SignedTrustBundle.maximumSize + 1)) == .tooLarge)
        #expect(code(Array("VCH1:not a bundle".utf8)) == .malformed)
    }

    @Test func payloadDecodingIsStrict() throws {
        let good = try bundle()
        guard case .map(let pairs) = try CBORDecoder.decode(good.encoded()) else { Issue.record("not a map"); return }
        func replacing(_ key: String, with value: CBOR?) -> [UInt8] {
            var out = pairs.filter { $0.key != .text(key) }
            if let value { out.append(CBOR.Pair(.text(key), value)) }
            return CBOR.map(out).encoded()
        }
        let cases: [(String, [UInt8])] = [
            ("version 2", replacing("v", with: .unsigned(2))),
            ("no iat", replacing("iat", with: nil)),
            ("negative iat", replacing("iat", with: .int(-1))),
            ("root not bstr", replacing("roots", with: .array([.text("pem")]))),
            ("root not DER", replacing("roots", with: .array([.bytes([0x30, 0x03, 0x02, 0x01, 0x01])]))),
            ("policy not text", replacing("policies", with: .array([.unsigned(1)]))),
            ("unknown key", replacing("extra", with: .null)),
            ("not a map", CBOR.array([]).encoded()),
            ("no receipt_keys", replacing("receipt_keys", with: nil)),
            ("receipt key without origin", replacing("receipt_keys", with: .array([.map([CBOR.Pair("key", .bytes([1]))])]))),
            ("quorum above the witnesses", replacing("witness_quorum", with: .unsigned(1))),
            ("witness not text", replacing("witnesses", with: .array([.unsigned(1)]))),
            ("no log_key", replacing("log_key", with: nil)),
        ]
        for (name, bytes) in cases {
            #expect(throws: TrustBundleError(.malformed, ""), "\(name)") { try TrustBundle(cbor: bytes) }
        }
    }

    @Test func policiesAreLintedAsStrictlyAsFiles() throws {
        let typo = Policy.testAge().canonicalJSON.replacingOccurrences(of: "\"clock_skew\"", with: "\"clock_skw\"")
        #expect(throws: TrustBundleError(.invalidPolicy, "")) { try bundle(policies: [typo]).policyStore() }
        let twice = Policy.testAge().canonicalJSON
        #expect(throws: TrustBundleError(.invalidPolicy, "")) { try bundle(policies: [twice, twice]).policyStore() }
        #expect(throws: TrustBundleError(.invalidPolicy, "")) { try bundle(policies: ["[]"]).policyStore() }
    }

    // MARK: The terminal's rules

    func snapshot(syncedAt: Date, floor: Date) throws -> TerminalSnapshot {
        let verifier = try fixture.verifier(policies: [.testAge(), .testAge("strict", status: .required)])
        return TerminalSnapshot(verifier: verifier, bundleIssuedAt: floor, syncedAt: syncedAt, clockFloor: floor)
    }

    @Test func offlineWindowAndClockFloor() throws {
        let now = VerifierFixture.now
        let token = try fixture.sign(fixture.ageClaims(iat: now, lifetime: 3600))
        let terminal = try snapshot(syncedAt: now, floor: now)
        #expect(try terminal.verify(token, policyID: "test-age-18", now: now.addingTimeInterval(60)).decision.accepted)

        // Past the window even a policy that ignores status rejects.
        let late = try terminal.verify(token, policyID: "test-age-18", now: now.addingTimeInterval(86_400 + 1))
        #expect(late.offlineTooLong)
        #expect(late.decision.reason == .expired, "an earlier failure still wins")
        let fresh = try fixture.sign(fixture.ageClaims(iat: now.addingTimeInterval(86_400), lifetime: 3600))
        let stale = try terminal.verify(fresh, policyID: "test-age-18", now: now.addingTimeInterval(86_400 + 60))
        #expect(stale.decision.reason == .statusUnavailable)

        // A clock behind the newest bundle is not believed.
        let ahead = try snapshot(syncedAt: now, floor: now.addingTimeInterval(7200))
        let behind = try ahead.verify(token, policyID: "test-age-18", now: now.addingTimeInterval(60))
        #expect(behind.clockBehind)
        #expect(behind.time == now.addingTimeInterval(7200))
        #expect(behind.decision.reason == .expired)
        #expect(ahead.trustAge(at: now) == 7200, "age counts from the floor, never negative")
    }

    @Test func heldRevocationsStandPastTheWindow() throws {
        let now = VerifierFixture.now
        let reference = StatusReference(index: 7, uri: "https://issuer.test/v1/status/0")
        let token = try fixture.sign(fixture.ageClaims(iat: now.addingTimeInterval(86_400), status: reference))
        let verifier = try fixture.verifier(policies: [.testAge()], status: FixedStatusSource(answers: [7: .revoked]))
        let terminal = TerminalSnapshot(verifier: verifier, bundleIssuedAt: now, syncedAt: now, clockFloor: now)
        let outcome = try terminal.verify(token, policyID: "test-age-18", now: now.addingTimeInterval(86_400 + 60))
        #expect(outcome.offlineTooLong)
        #expect(outcome.decision.reason == .revoked)
    }

    @Test("receipt keys, the log key, witnesses and their quorum round-trip through the signed bundle")
    func logTrustRoundTrips() throws {
        var bundle = try bundle()
        bundle.receiptKeys = fixture.trustStore.snapshot.receiptKeys
        bundle.logKey = "log.example+01020304+AQ=="
        bundle.witnesses = ["w1.example+0a0b0c0d+BA==", "w2.example+0a0b0c0e+BA=="]
        bundle.witnessQuorum = 2
        let opened = try SignedTrustBundle.open(try signed(bundle), roots: [fixture.root]).bundle
        #expect(opened == bundle)
        #expect(opened.receiptKeys.map(\.origin) == [VerifierFixture.origin])
        // A terminal's trust store takes the receipt keys from the bundle.
        let store = TrustStore(roots: opened.roots, issuers: opened.issuers, receiptKeys: opened.receiptKeys)
        let code = try fixture.sign(fixture.ageClaims())
        var policy = Policy.testAge()
        policy.logReceipt = .required
        let verifier = Verifier(trustStore: store, policies: try PolicyStore(policies: [policy]))
        #expect(try verifier.verify(code, policy: policy, now: VerifierFixture.now).reason == .ok)
        let withoutKeys = Verifier(trustStore: TrustStore(roots: opened.roots, issuers: opened.issuers),
                                   policies: try PolicyStore(policies: [policy]))
        #expect(try withoutKeys.verify(code, policy: policy, now: VerifierFixture.now).reason == .badLogReceipt)
    }
}
