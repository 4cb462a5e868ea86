import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchVerifier

/// `no_log_receipt` and `bad_log_receipt` (format.md §3, §7), with real keys and signatures.
@Suite("Log receipts at the till")
struct ReceiptVerificationTests {
    let fixture: VerifierFixture
    let now = VerifierFixture.now

    init() throws { fixture = try VerifierFixture() }

    func decide(_ text: String, policy id: String, extra: [Policy] = []) throws -> Decision.Reason {
        try fixture.verifier(policies: extra).verify(text, policyID: id, now: now).reason
    }

    static let shipped = ["alcohol-uk", "alcohol-us", "cannabis-ca-on", "fireworks-uk", "knives-uk", "lottery-uk",
                          "solvents-uk", "tobacco-uk", "tobacco-us"]

    @Test("a rogue issuer (real issuer key, no receipt key) is refused by every shipped age policy",
          arguments: shipped)
    func rogueIssuerRefused(policy: String) throws {
        let rogue = try fixture.signWithoutReceipt(fixture.ageClaims(over: 25))
        #expect(try decide(rogue, policy: policy) == .noLogReceipt)
        // The same issuer's receipted code passes this check (and is then judged on status, as usual).
        let honest = try fixture.sign(fixture.ageClaims(over: 25))
        #expect(try ![.noLogReceipt, .badLogReceipt].contains(decide(honest, policy: policy)))
    }

    @Test("every shipped policy requires a receipt")
    func shippedPoliciesRequireIt() throws {
        let store = try PolicyStore.load(directory: shippedPoliciesDirectory)
        #expect(!store.all.isEmpty)
        for policy in store.all { #expect(policy.logReceipt == .required, "\(policy.id)") }
    }

    @Test("a receipt from an untrusted key, for another origin or another code is bad_log_receipt")
    func badReceipts() throws {
        let policy = Policy.testAge()
        let signed = try fixture.issuer.sign(fixture.ageClaims())
        let stranger = try PrivateKey.generate(.eddsa)
        let forged = [
            try fixture.withReceipt(signed, key: stranger),  // a key the trust store does not name
            try fixture.withReceipt(signed, origin: "other.example/log"),  // another log's origin
            try fixture.withReceipt(signed, tokenHash: Digest.sha256(fixture.issuer.sign(fixture.ageClaims()).coseBytes)),
            try fixture.withReceipt(signed, key: fixture.issuerKey),  // the issuer key is not a receipt key
        ]
        for code in forged {
            #expect(try decide(code.text, policy: policy.id, extra: [policy]) == .badLogReceipt)
        }
        // A receipt lifted from another code onto this one.
        let other = try fixture.withReceipt(fixture.issuer.sign(fixture.ageClaims()))
        let lifted = try signed.attaching(try #require(DecodedAttestation(coseBytes: other.coseBytes).receipt))
        #expect(try decide(lifted.text, policy: policy.id, extra: [policy]) == .badLogReceipt)
        // Changing the receipt's index or time breaks its signature.
        let good = try #require(try DecodedAttestation(coseBytes: fixture.withReceipt(signed).coseBytes).receipt)
        for changed in [LogReceipt(index: good.index + 1, time: good.time, signature: good.signature),
                        LogReceipt(index: good.index, time: good.time + 1, signature: good.signature)] {
            #expect(try decide(signed.attaching(changed).text, policy: policy.id, extra: [policy]) == .badLogReceipt)
        }
    }

    @Test("order of §3: bad_signature before the receipt, the receipt before time checks")
    func order() throws {
        let policy = Policy.testAge()
        let expired = fixture.ageClaims(iat: now.addingTimeInterval(-100 * 86_400), lifetime: 90 * 86_400)
        // An expired code without a receipt under a policy requiring one: no_log_receipt comes first.
        var strict = Policy.testAge("strict-age")
        strict.logReceipt = .required
        #expect(try decide(fixture.signWithoutReceipt(expired), policy: strict.id, extra: [strict]) == .noLogReceipt)
        #expect(try decide(fixture.sign(expired), policy: strict.id, extra: [strict]) == .expired)
        // A tampered signature is bad_signature even with a valid-looking receipt.
        let signed = try fixture.withReceipt(fixture.issuer.sign(fixture.ageClaims()))
        var bytes = signed.coseBytes
        bytes[bytes.count - 1] ^= 1
        #expect(try decide(VCH1.encode(bytes), policy: policy.id, extra: [policy]) == .badSignature)
    }

    @Test("optional: a code without a receipt passes; a bad receipt is still refused")
    func optional() throws {
        let policy = Policy.testAge()
        #expect(policy.logReceipt == .optional)
        #expect(try decide(fixture.signWithoutReceipt(fixture.ageClaims()), policy: policy.id, extra: [policy]) == .ok)
        #expect(try decide(fixture.sign(fixture.ageClaims()), policy: policy.id, extra: [policy]) == .ok)
        let bad = try fixture.withReceipt(fixture.issuer.sign(fixture.ageClaims()), key: try PrivateKey.generate(.eddsa))
        #expect(try decide(bad.text, policy: policy.id, extra: [policy]) == .badLogReceipt)
    }

    @Test("a P-256 receipt key works too")
    func p256ReceiptKey() throws {
        let key = try PrivateKey.generate(.es256)
        let trust = TrustStore(roots: [fixture.root], issuers: [fixture.issuer.certificate],
                               receiptKeys: [try ReceiptKey(origin: VerifierFixture.origin, publicKey: key.publicKey)])
        var policy = Policy.testAge()
        policy.logReceipt = .required
        let verifier = Verifier(trustStore: trust, policies: try PolicyStore(policies: [policy]))
        let code = try fixture.withReceipt(fixture.issuer.sign(fixture.ageClaims()), key: key)
        #expect(try verifier.verify(code.text, policyID: policy.id, now: now).reason == .ok)
    }
}
