import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchVerifier

/// The presentation window of the shipped age-restricted policies (Policies/README.md): `presentation_max_age`
/// 20 s (twice the wallet's 10 s re-sign) and `clock_skew` 30 s, so a screenshot of a wallet's code is worthless
/// within a minute and a 90 s old presentation reads `presentation_expired` (issue 15).
@Suite struct ShippedPresentationWindowTests {
    static let ageRestricted = ["alcohol-uk", "alcohol-us", "cannabis-ca-on", "fireworks-uk", "knives-uk",
                                "lottery-uk", "solvents-uk", "tobacco-uk", "tobacco-us"]

    let fixture: VerifierFixture
    let holder: PrivateKey
    let now = VerifierFixture.now

    init() throws {
        fixture = try VerifierFixture()
        holder = try PrivateKey.generate(.es256)
    }

    @Test(arguments: ageRestricted)
    func shippedWindowIsFiftySecondsBackThirtyAhead(policyID: String) throws {
        let policy = try #require(try PolicyStore.load(directory: shippedPoliciesDirectory).policy(id: policyID))
        #expect(policy.holderBinding == .required)
        #expect(policy.presentationMaxAge == 20)
        #expect(policy.clockSkew == 30)
        let reference = StatusReference(index: 1, uri: "https://test.invalid/v1/status/1")
        let verifier = try fixture.verifier(status: FixedStatusSource(answers: [1: .valid]))
        let code = try fixture.boundCode(holder, claims: fixture.ageClaims(over: 21, status: reference))
        func reason(_ offset: Double) throws -> Decision.Reason {
            let text = try fixture.present(code, by: holder, at: now.addingTimeInterval(offset))
            return try verifier.verify(text, policyID: policyID, now: now).reason
        }
        // now - 20 - 30 <= t <= now + 30 (format.md §6).
        #expect(try reason(0) == .ok)
        #expect(try reason(-50) == .ok)
        #expect(try reason(-51) == .presentationExpired)
        #expect(try reason(-90) == .presentationExpired)
        #expect(try reason(30) == .ok)
        #expect(try reason(31) == .presentationExpired)
    }
}
