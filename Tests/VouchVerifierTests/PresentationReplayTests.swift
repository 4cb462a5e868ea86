import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer
@testable import VouchVerifier

/// A presentation is accepted once per window; a single-use policy also remembers the credential (format.md §6).
@Suite struct PresentationReplayTests {
    let fixture: VerifierFixture
    let holder: PrivateKey
    let now = VerifierFixture.now
    let bound = Policy.testAge("test-bound", holderBinding: .required)

    init() throws {
        fixture = try VerifierFixture()
        holder = try PrivateKey.generate(.es256)
    }

    @Test func theSamePresentationTwiceIsReplayed() throws {
        let other = Policy.testAge("test-bound-too", disclose: [], holderBinding: .required)
        let verifier = try fixture.verifier(policies: [bound, other])
        let code = try fixture.boundCode(holder)
        let text = try fixture.present(code, by: holder)
        #expect(try verifier.verify(text, policy: bound, now: now).reason == .ok)
        #expect(try verifier.verify(text, policy: bound, now: now.addingTimeInterval(5)).reason == .replayed)
        // Under another policy, at the same till: still replayed.
        #expect(try verifier.verify(text, policy: other, now: now.addingTimeInterval(6)).reason == .replayed)
        // A fresh signature of the same (not single-use) code is a new showing.
        let fresh = try fixture.present(code, by: holder, at: now.addingTimeInterval(10))
        #expect(try verifier.verify(fresh, policy: bound, now: now.addingTimeInterval(10)).reason == .ok)
    }

    @Test func aRejectedPresentationIsNotRemembered() throws {
        let verifier = try fixture.verifier(policies: [bound])
        let code = try fixture.boundCode(holder)
        let text = try fixture.present(code, by: holder)
        let adult = Policy.testAge("test-21", over: 21, holderBinding: .required)
        #expect(try verifier.verify(text, policy: adult, now: now).reason == .requirementNotMet)
        #expect(try verifier.verify(text, policy: bound, now: now).reason == .ok)
    }

    /// (r, s) and (r, n - s) both verify; the second form of an accepted signature is still the same showing.
    @Test func theMalleableTwinIsReplayed() throws {
        let verifier = try fixture.verifier(policies: [bound])
        let code = try fixture.boundCode(holder)
        let shown = try Presentation(text: fixture.present(code, by: holder))
        let r = Array(shown.signature[..<32]), s = Array(shown.signature[32...])
        let twinSignature = r + ReplayCache.subtract(s, from: ReplayCache.p256Order)
        #expect(try PublicKey(coseKey: #require(code.claims.holderKey))
            .isValidSignature(twinSignature, for: shown.toBeSigned()), "the twin is a valid signature")
        let twin = COSESign1(protectedHeader: [.init(1, -7)], payload: shown.sign1.payload, signature: twinSignature)
        #expect(try verifier.verify(shown.text, policy: bound, now: now).reason == .ok)
        #expect(try verifier.verify(VCP1.encode(twin.encoded()), policy: bound, now: now).reason == .replayed)
    }

    @Test func singleUseRemembersTheCredential() throws {
        let once = Policy.testAge("test-once", singleUse: true, holderBinding: .required)
        let verifier = try fixture.verifier(policies: [once])
        let code = try fixture.boundCode(holder)
        #expect(try verifier.verify(fixture.present(code, by: holder), policy: once, now: now).reason == .ok)
        let again = try fixture.present(code, by: holder, at: now.addingTimeInterval(10))
        #expect(try verifier.verify(again, policy: once, now: now.addingTimeInterval(10)).reason == .replayed)
    }

    @Test func presentationsAreForgottenAfterTheirWindow() throws {
        let cache = ReplayCache(capacity: 1)
        let verifier = try fixture.verifier(policies: [bound], replay: cache)
        let code = try fixture.boundCode(holder)
        #expect(try verifier.verify(fixture.present(code, by: holder), policy: bound, now: now).reason == .ok)
        // The cache is full and the first presentation's window (max over the policies) has not passed.
        let second = try fixture.present(code, by: holder, at: now.addingTimeInterval(1))
        #expect(throws: Verifier.Failure.self) {
            try verifier.verify(second, policy: bound, now: now.addingTimeInterval(1))
        }
        // Once it has, the entry is swept and a new presentation fits.
        let window = TimeInterval(verifier.presentationWindow(bound))
        let later = now.addingTimeInterval(window + 1)
        #expect(try verifier.verify(fixture.present(code, by: holder, at: later), policy: bound, now: later).reason == .ok)
    }

    @Test func lowSNormalisation() {
        let n = ReplayCache.p256Order
        var half = ReplayCache.subtract([UInt8](repeating: 0, count: 31) + [1], from: n)  // n - 1
        // (n - 1) / 2 by shifting right one bit.
        var carry: UInt8 = 0
        for i in 0..<32 { let b = half[i]; half[i] = b >> 1 | carry << 7; carry = b & 1 }
        var above = half
        above[31] += 1
        #expect(!ReplayCache.isGreaterThanHalfOrder(half))
        #expect(ReplayCache.isGreaterThanHalfOrder(above))
        #expect(ReplayCache.isGreaterThanHalfOrder(ReplayCache.subtract([UInt8](repeating: 0, count: 31) + [1], from: n)))
        #expect(!ReplayCache.isGreaterThanHalfOrder([UInt8](repeating: 0, count: 31) + [1]))
        let r = [UInt8](repeating: 7, count: 32)
        #expect(ReplayCache.presentationKey(r + above) == ReplayCache.presentationKey(r + ReplayCache.subtract(above, from: n)))
        // n - (half + 1) = half, since n = 2 half + 1: the two are one signature's twins.
        #expect(ReplayCache.presentationKey(r + above) == ReplayCache.presentationKey(r + half))
        var other = half
        other[31] -= 1
        #expect(ReplayCache.presentationKey(r + other) != ReplayCache.presentationKey(r + half))
    }
}
