import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchVerifier

/// One test per reason code of format.md §3, each with a real signed token
/// that triggers exactly that reason.
@Suite struct VerifierReasonTests {
    let fixture: VerifierFixture
    let now = VerifierFixture.now

    init() throws { fixture = try VerifierFixture() }

    func decide(_ text: String, _ policy: Policy = .testAge(), at time: Date? = nil,
                verifier: Verifier? = nil) throws -> Decision {
        let v = try verifier ?? fixture.verifier(policies: [policy])
        return try v.verify(text, policyID: policy.id, now: time ?? now)
    }

    @Test func ok() throws {
        let decision = try decide(fixture.sign(fixture.ageClaims()))
        #expect(decision.reason == .ok)
        #expect(decision.accepted)
        #expect(decision.disclosed == ["age_over_18": .bool(true)])
    }

    @Test func unknownPolicy() throws {
        let decision = try fixture.verifier().verify(fixture.sign(fixture.ageClaims()), policyID: "beer-mars", now: now)
        #expect(decision.reason == .unknownPolicy)
    }

    @Test func payloadTooLarge() throws {
        #expect(try decide(String(repeating: "VCH1:", count: 1000)).reason == .payloadTooLarge)
    }

    @Test(arguments: ["5012345678900", "https://example.org/product/42", "HC1:NCFOXN%TS3DH", "", "hello"])
    func unrecognized(text: String) throws {
        #expect(try decide(text).reason == .unrecognized)
    }

    @Test func malformed() throws {
        let good = try fixture.sign(fixture.ageClaims())
        #expect(try decide(String(good.dropLast(10))).reason == .malformed)
        #expect(try decide("VCH1:NOT BASE45!").reason == .malformed)
    }

    @Test func unsupportedAlgorithm() throws {
        let claims = fixture.ageClaims()
        let sign1 = try COSESign1.sign(algorithm: -35, kid: fixture.issuer.kid, payload: claims.encoded()) {
            try fixture.issuerKey.signature(for: $0)
        }
        #expect(try decide(VCH1.encode(sign1.encoded())).reason == .unsupportedAlgorithm)
    }

    @Test func unknownIssuer() throws {
        let stranger = try VerifierFixture()
        #expect(try decide(stranger.sign(stranger.ageClaims())).reason == .unknownIssuer)
    }

    /// An issuer certificate that is in the store but chains to a root that is not.
    @Test func untrustedIssuerUnknownRoot() throws {
        let other = try VerifierFixture()
        let store = TrustStore(roots: [fixture.root], issuers: [fixture.issuer.certificate, other.issuer.certificate],
                               receiptKeys: fixture.trustStore.snapshot.receiptKeys + other.trustStore.snapshot.receiptKeys)
        let verifier = Verifier(trustStore: store, policies: try PolicyStore(policies: [.testAge()]))
        #expect(try decide(other.sign(other.ageClaims()), verifier: verifier).reason == .untrustedIssuer)
        #expect(try decide(fixture.sign(fixture.ageClaims()), verifier: verifier).reason == .ok)
    }

    /// iat outside the issuer certificate's validity.
    @Test func untrustedIssuerOutsideValidity() throws {
        let narrow = try VerifierFixture(issuerValidity: now.addingTimeInterval(-86_400)...now.addingTimeInterval(86_400))
        let before = narrow.ageClaims(iat: now.addingTimeInterval(-2 * 86_400))
        #expect(try decide(narrow.sign(before), verifier: narrow.verifier(policies: [.testAge()])).reason == .untrustedIssuer)
        let inside = narrow.ageClaims(iat: now)
        #expect(try decide(narrow.sign(inside), verifier: narrow.verifier(policies: [.testAge()])).reason == .ok)
    }

    /// The policy's issuer list excludes this certificate.
    @Test func untrustedIssuerExcludedByPolicy() throws {
        let token = try fixture.sign(fixture.ageClaims())
        let elsewhere = Policy.testAge("only-other", issuers: [String(repeating: "ab", count: 32)])
        #expect(try decide(token, elsewhere).reason == .untrustedIssuer)
        let mine = Policy.testAge("only-mine", issuers: [fixture.issuer.certificate.sha256Fingerprint.hexString])
        #expect(try decide(token, mine).reason == .ok)
    }

    @Test func badSignature() throws {
        let attestation = try fixture.issuer.sign(fixture.ageClaims())
        var bytes = attestation.coseBytes
        bytes[bytes.count - 5] ^= 0x40
        #expect(try decide(VCH1.encode(bytes)).reason == .badSignature)

        // A forger who copies the kid but signs with their own key.
        let forger = try PrivateKey.generate(.es256)
        let forged = try COSESign1.sign(algorithm: -7, kid: fixture.issuer.kid, payload: fixture.ageClaims(over: 21).encoded()) {
            try forger.signature(for: $0)
        }
        #expect(try decide(VCH1.encode(forged.encoded())).reason == .badSignature)

        // Claims changed after signing (under 18 edited to 21 keeps the old signature).
        let sign1 = try COSESign1(tagged: attestation.coseBytes)
        let edited = COSESign1(protectedHeader: sign1.protectedHeader.mapValue!, payload: fixture.ageClaims(over: 21).encoded(),
                               signature: sign1.signature)
        #expect(try decide(VCH1.encode(edited.encoded())).reason == .badSignature)
    }

    /// iat up to clock_skew (300 s) in the future is tolerated; one second more is not.
    @Test func notYetValidAtTheSkewEdge() throws {
        let edge = try fixture.sign(fixture.ageClaims(iat: now.addingTimeInterval(300)))
        #expect(try decide(edge).reason == .ok)
        let beyond = try fixture.sign(fixture.ageClaims(iat: now.addingTimeInterval(301)))
        #expect(try decide(beyond).reason == .notYetValid)
    }

    /// exp may be up to clock_skew in the past; one second more is expired.
    @Test func expiredAtTheSkewEdge() throws {
        let claims = fixture.ageClaims(iat: now.addingTimeInterval(-3600), lifetime: 3600)  // exp == now
        let token = try fixture.sign(claims)
        #expect(try decide(token, at: now.addingTimeInterval(300)).reason == .ok)
        #expect(try decide(token, at: now.addingTimeInterval(301)).reason == .expired)
    }

    @Test func tooOld() throws {
        let claims = fixture.ageClaims(iat: now.addingTimeInterval(-7200), lifetime: 90 * 86_400)
        let token = try fixture.sign(claims)
        #expect(try decide(token, .testAge("fresh-only", maxTokenAge: 3600)).reason == .tooOld)
        #expect(try decide(token, .testAge("lenient", maxTokenAge: 7200)).reason == .ok)
    }

    @Test func wrongType() throws {
        let student = try fixture.issuer.issueConcession("student", validUntil: "2027-06-30", now: now)
        #expect(try decide(student.text).reason == .wrongType)
    }

    @Test func requirementNotMet() throws {
        #expect(try decide(fixture.sign(fixture.ageClaims(over: 16))).reason == .requirementNotMet)
        let verifier = try fixture.verifier()
        let senior = try fixture.withReceipt(fixture.issuer.issueConcession("senior", validUntil: "2027-06-30", now: now))
        let studentPolicy = try #require(verifier.policies.policy(id: "student-discount"))
        var lenient = studentPolicy
        lenient.status = .ignore
        #expect(try verifier.verify(senior.text, policy: lenient, now: now).reason == .requirementNotMet)
        let student = try fixture.withReceipt(fixture.issuer.issueConcession("student", validUntil: "2027-06-30", now: now))
        #expect(try verifier.verify(student.text, policy: lenient, now: now).reason == .ok)
    }

    /// An over-21 code passes an over-18 check and the decision shows only "over 18".
    @Test func over21PassesOver18WithoutRevealingIt() throws {
        let decision = try decide(fixture.sign(fixture.ageClaims(over: 21)),
                                  .testAge("disclose-both", disclose: ["age_over_18", "age_over_21", "age_over_25"]))
        #expect(decision.reason == .ok)
        #expect(decision.disclosed["age_over_18"] == .bool(true))
        #expect(decision.disclosed["age_over_25"] == nil)
        let shipped = try decide(fixture.sign(fixture.ageClaims(over: 21)))
        #expect(shipped.disclosed == ["age_over_18": .bool(true)])
    }

    @Test func revokedSuspendedAndUnavailable() throws {
        let answers: [UInt64: StatusLookup] = [1: .valid, 2: .revoked, 3: .suspended]
        let policy = Policy.testAge("status-required", status: .required)
        let verifier = try fixture.verifier(policies: [policy], status: FixedStatusSource(answers: answers))
        func reason(_ index: UInt64?) throws -> Decision.Reason {
            let status = index.map { StatusReference(index: $0, uri: "https://test.invalid/v1/status/1") }
            return try verifier.verify(fixture.sign(fixture.ageClaims(status: status)), policyID: policy.id, now: now).reason
        }
        #expect(try reason(1) == .ok)
        #expect(try reason(2) == .revoked)
        #expect(try reason(3) == .suspended)
        #expect(try reason(4) == .statusUnavailable)  // no fresh list holds it
        #expect(try reason(nil) == .statusUnavailable)  // required, but the code has no status claim
        // Optional status: skipped when nothing is known, still enforced when a list says revoked.
        let optional = Policy.testAge("status-optional", status: .optional)
        let v2 = try fixture.verifier(policies: [optional], status: FixedStatusSource(answers: answers))
        #expect(try v2.verify(fixture.sign(fixture.ageClaims()), policyID: optional.id, now: now).reason == .ok)
        let revoked = try fixture.sign(fixture.ageClaims(status: StatusReference(index: 2, uri: "u")))
        #expect(try v2.verify(revoked, policyID: optional.id, now: now).reason == .revoked)
    }

    /// With no status source at all, a policy that requires status never accepts.
    @Test func requiredStatusWithoutASourceIsUnavailable() throws {
        let policy = Policy.testAge("status-required", status: .required)
        let token = try fixture.sign(fixture.ageClaims(status: StatusReference(index: 1, uri: "u")))
        #expect(try decide(token, policy).reason == .statusUnavailable)
    }

    @Test func replayed() throws {
        let policy = Policy.testAge("single-use", singleUse: true)
        let verifier = try fixture.verifier(policies: [policy])
        let token = try fixture.sign(fixture.ageClaims())
        #expect(try verifier.verify(token, policyID: policy.id, now: now).reason == .ok)
        #expect(try verifier.verify(token, policyID: policy.id, now: now).reason == .replayed)
        // A rejected first attempt does not burn the code.
        let other = try fixture.sign(fixture.ageClaims())
        #expect(try verifier.verify(other, policyID: policy.id, now: now.addingTimeInterval(-86_400 * 365)).reason
            == .notYetValid)
        #expect(try verifier.verify(other, policyID: policy.id, now: now).reason == .ok)
    }

    @Test(arguments: [SigningAlgorithm.eddsa])
    func eddsaIssuer(algorithm: SigningAlgorithm) throws {
        let ed = try VerifierFixture(algorithm: algorithm)
        let decision = try ed.verifier(policies: [.testAge()]).verify(ed.sign(ed.ageClaims()), policyID: "test-age-18", now: now)
        #expect(decision.reason == .ok)
    }

    /// Identity codes satisfy age policies through their birth date.
    @Test func identityCodeOnAnAgePolicy() throws {
        let adult = try fixture.issuer.issueIdentity(
            IdentityAttributes(givenName: "Ada", familyName: "Lovelace", birthDate: "2000-01-01"), now: now)
        #expect(try decide(adult.text).reason == .ok)
        let minor = try fixture.issuer.issueIdentity(
            IdentityAttributes(givenName: "Bo", familyName: "Young", birthDate: "2010-01-01"), now: now)
        #expect(try decide(minor.text).reason == .requirementNotMet)
    }

    @Test func everyReasonHasPlainWords() {
        #expect(Decision.Reason.all.count == 23)
        #expect(Set(Decision.Reason.all.map(\.message)).count == 23)
        #expect(Decision.Reason.expired.message == "Code expired")
        #expect(Decision.Reason.revoked.message == "Revoked")
    }
}
