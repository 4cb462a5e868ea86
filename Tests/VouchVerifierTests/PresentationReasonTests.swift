import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchVerifier

/// `VCP1:` presentations (format.md §6): every holder reason with real signatures, in the order of §3.
@Suite struct PresentationReasonTests {
    let fixture: VerifierFixture
    let holder: PrivateKey
    let now = VerifierFixture.now
    let bound = Policy.testAge("test-bound", holderBinding: .required)

    init() throws {
        fixture = try VerifierFixture()
        holder = try PrivateKey.generate(.es256)
    }

    func decide(_ text: String, _ policy: Policy? = nil, at time: Date? = nil, verifier: Verifier? = nil) throws -> Decision {
        let policy = policy ?? bound
        let v = try verifier ?? fixture.verifier(policies: [policy])
        return try v.verify(text, policyID: policy.id, now: time ?? now)
    }

    @Test func presentationIsAccepted() throws {
        let code = try fixture.boundCode(holder)
        let decision = try decide(fixture.present(code, by: holder))
        #expect(decision.reason == .ok)
        #expect(decision.disclosed == ["age_over_18": .bool(true)])
        // Optional binding takes a presentation too.
        #expect(try decide(fixture.present(code, by: holder), .testAge()).reason == .ok)
    }

    /// A keyboard-wedge scanner's Enter (and a shell's newline) around a presentation is ignored,
    /// as around a static code; anything else around it is not a presentation.
    @Test func lineEndsAroundAPresentation() throws {
        let code = try fixture.boundCode(holder)
        #expect(try decide("\n" + fixture.present(code, by: holder) + "\r\n").reason == .ok)
        #expect(try decide(" " + fixture.present(code, by: holder)).reason == .unrecognized)
        #expect(try decide("\r\n\n").reason == .unrecognized)
        #expect(try decide("VCP1:").reason == .malformed)
    }

    @Test func staticCodeUnderRequiredBindingIsNotHolderBound() throws {
        let plain = try fixture.sign(fixture.ageClaims())
        #expect(try decide(plain).reason == .notHolderBound)
        #expect(try decide(plain, .testAge()).reason == .ok)
        // A bound credential lifted out of a presentation and shown as VCH1 is refused too.
        let code = try fixture.boundCode(holder)
        #expect(try decide(code.text).reason == .notHolderBound)
        // The issuer is still checked first.
        let stranger = try VerifierFixture()
        #expect(try decide(stranger.sign(stranger.ageClaims())).reason == .unknownIssuer)
    }

    @Test func shippedPoliciesBindAgeSalesButNotDiscounts() throws {
        let verifier = try fixture.verifier()
        let plain = try fixture.sign(fixture.ageClaims())
        for id in ["alcohol-uk", "alcohol-us", "cannabis-ca-on", "fireworks-uk", "knives-uk", "lottery-uk",
                   "solvents-uk", "tobacco-uk", "tobacco-us"] {
            #expect(try verifier.verify(plain, policyID: id, now: now).reason == .notHolderBound, "\(id)")
            #expect(verifier.policies.policy(id: id)?.holderBinding == .required, "\(id)")
        }
        for id in ["student-discount", "senior-discount", "identity-account-opening"] {
            #expect(verifier.policies.policy(id: id)?.holderBinding == .optional, "\(id)")
        }
        let student = Claims(issuer: "https://test.invalid", expiresAt: 1_800_000_000, issuedAt: 1_789_999_000,
                             tokenID: try SecureRandom.bytes(count: 16), type: .concession, concession: "student")
        // Optional status and no list: the static discount code passes, as a printed card would.
        #expect(try verifier.verify(fixture.sign(student), policyID: "student-discount", now: now).reason == .ok)
    }

    /// Builds presentation COSE bytes by hand, for shapes `Presentation.sign` refuses to make.
    func handmade(protected: [CBOR.Pair] = [.init(1, -7)], unprotected: [CBOR.Pair] = [], payload: CBOR,
                  signer: PrivateKey? = nil) throws -> String {
        let unsigned = COSESign1(protectedHeader: protected, unprotectedHeader: unprotected,
                                 payload: payload.encoded(), signature: [])
        let signature = try (signer ?? holder).signature(for: unsigned.toBeSigned(externalAAD: VCP1.externalAAD))
        return VCP1.encode(COSESign1(protectedHeader: protected, unprotectedHeader: unprotected,
                                     payload: payload.encoded(), signature: signature).encoded())
    }

    @Test func malformedPresentations() throws {
        let code = try fixture.boundCode(holder)
        let t = CBOR.unsigned(UInt64(now.timeIntervalSince1970))
        let unbound = try fixture.issuer.sign(fixture.ageClaims())
        #expect(try decide(handmade(payload: [.bytes(unbound.coseBytes), t])).reason == .malformed, "no cnf")
        #expect(try decide(handmade(payload: [.bytes(code.coseBytes)])).reason == .malformed, "no t")
        #expect(try decide(handmade(payload: [.bytes(code.coseBytes), -1])).reason == .malformed, "negative t")
        #expect(try decide(handmade(payload: [.bytes(code.coseBytes), t, t])).reason == .malformed, "extra item")
        #expect(try decide(handmade(payload: .map([.init(1, .bytes(code.coseBytes))]))).reason == .malformed)
        #expect(try decide(handmade(payload: [.bytes([1, 2, 3]), t])).reason == .malformed, "not a credential")
        #expect(try decide(handmade(unprotected: [.init(4, .bytes([1]))], payload: [.bytes(code.coseBytes), t]))
            .reason == .malformed, "unprotected kid")
        #expect(try decide(handmade(protected: [.init(1, -7), .init(4, .bytes([1]))],
                                    payload: [.bytes(code.coseBytes), t])).reason == .malformed, "protected kid")
        #expect(try decide(handmade(protected: [.init(1, -8)], payload: [.bytes(code.coseBytes), t]))
            .reason == .unsupportedAlgorithm)
        #expect(try decide("VCP1:NOT BASE45!").reason == .malformed)
        #expect(try decide("VCP1:" + String(repeating: "A", count: 4800)).reason == .payloadTooLarge)
        let good = try fixture.present(code, by: holder)
        #expect(try decide(String(good.dropLast(6))).reason == .malformed)
    }

    @Test func forgedCredentialIsBadSignatureBeforeTheHolderCheck() throws {
        let code = try fixture.boundCode(holder)
        var bytes = code.coseBytes
        bytes[bytes.count - 1] ^= 0x01
        let forged = IssuedAttestation(claims: code.claims, coseBytes: bytes)
        let thief = try PrivateKey.generate(.es256)
        #expect(try decide(fixture.present(forged, by: holder)).reason == .badSignature)
        #expect(try decide(fixture.present(forged, by: thief)).reason == .badSignature)
    }

    @Test func anotherKeyIsBadHolderSignature() throws {
        let code = try fixture.boundCode(holder)
        let thief = try PrivateKey.generate(.es256)
        #expect(try decide(fixture.present(code, by: thief)).reason == .badHolderSignature)
        // Even under optional binding: a presentation is checked whenever binding is not ignored.
        #expect(try decide(fixture.present(code, by: thief), .testAge()).reason == .badHolderSignature)
        // A signature without the external_aad (a signature over the same payload for another purpose).
        let payload = CBOR.array([.bytes(code.coseBytes), .unsigned(UInt64(now.timeIntervalSince1970))]).encoded()
        let plain = COSESign1(protectedHeader: [.init(1, -7)], payload: payload, signature: [])
        let noAAD = COSESign1(protectedHeader: [.init(1, -7)], payload: payload,
                              signature: try holder.signature(for: plain.toBeSigned()))
        #expect(try decide(VCP1.encode(noAAD.encoded())).reason == .badHolderSignature)
    }

    @Test func changingTBreaksTheHolderSignature() throws {
        let code = try fixture.boundCode(holder)
        let shown = try Presentation(text: fixture.present(code, by: holder, at: now.addingTimeInterval(-3600)))
        let later = CBOR.array([.bytes(code.coseBytes), .unsigned(UInt64(now.timeIntervalSince1970))]).encoded()
        let moved = COSESign1(protectedHeader: [.init(1, -7)], payload: later, signature: shown.signature)
        #expect(try decide(VCP1.encode(moved.encoded())).reason == .badHolderSignature)
    }

    @Test func holderSignatureComesBeforeTimeChecks() throws {
        // An expired credential with a wrong holder: the holder check fails first (format.md §3 order).
        let old = fixture.ageClaims(iat: now.addingTimeInterval(-200 * 86_400))
        let code = try fixture.boundCode(holder, claims: old)
        let thief = try PrivateKey.generate(.es256)
        #expect(try decide(fixture.present(code, by: thief)).reason == .badHolderSignature)
        #expect(try decide(fixture.present(code, by: holder, at: now.addingTimeInterval(-3600))).reason
            == .presentationExpired)
        #expect(try decide(fixture.present(code, by: holder)).reason == .expired)
    }

    /// `now - max_age - skew <= t <= now + skew`, with max_age 60 and skew 300.
    @Test(arguments: [(-360.0, Decision.Reason.ok), (-361, .presentationExpired), (300, .ok),
                      (301, .presentationExpired), (-90, .ok), (-86_400, .presentationExpired)])
    func timeWindow(offset: Double, expected: Decision.Reason) throws {
        let code = try fixture.boundCode(holder)
        #expect(try decide(fixture.present(code, by: holder, at: now.addingTimeInterval(offset))).reason == expected)
    }

    @Test func longerPresentationMaxAge() throws {
        let code = try fixture.boundCode(holder)
        let text = try fixture.present(code, by: holder, at: now.addingTimeInterval(-900))
        let lenient = Policy.testAge("test-lenient", holderBinding: .required, presentationMaxAge: 600)
        #expect(try decide(text, lenient).reason == .ok)
        #expect(try decide(text).reason == .presentationExpired)
    }

    @Test func ignoreJudgesTheCredentialAlone() throws {
        let code = try fixture.boundCode(holder)
        let ignoring = Policy.testAge("test-ignore", holderBinding: .ignore)
        let thief = try PrivateKey.generate(.es256)
        #expect(try decide(fixture.present(code, by: thief, at: now.addingTimeInterval(-86_400)), ignoring).reason == .ok)
        #expect(try decide(code.text, ignoring).reason == .ok)
    }
}
