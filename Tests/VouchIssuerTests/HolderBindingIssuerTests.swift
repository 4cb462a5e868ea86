import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer

/// Codes bound to a holder key (format.md §6): `cnf` written compressed, one key per code.
@Suite struct HolderBindingIssuerTests {
    let now = IssuerTests.now

    @Test func boundAgeCodeCarriesTheCompressedKey() throws {
        let t = try TestIssuer()
        let holder = try PrivateKey.generate(.es256).publicKey
        let code = try t.issuer.issueAge(over: 18, now: now, holderKey: holder)
        let decoded = try DecodedAttestation(text: code.text)
        #expect(t.issuer.certificate.publicKey.isValidSignature(decoded.sign1.signature, for: decoded.sign1.toBeSigned()))
        let cnf = try #require(decoded.claims.holderKey)
        #expect(cnf == holder.coseKey)
        guard case .signBit = cnf.y else { Issue.record("issuers write y as its sign bit"); return }
        #expect(try PublicKey(coseKey: cnf) == holder)
        #expect(decoded.claims.ageOver == [18])
        // The claim on the wire is {8: {1: {1: 2, -1: 1, -2: x, -3: bool}}}.
        let wire = try CBORDecoder.decode(decoded.sign1.payload)
        #expect(wire[8]?[1]?[-3]?.boolValue != nil)
        #expect(wire[8]?[1]?[-2]?.bytesValue?.count == 32)
    }

    @Test func concessionAndIdentityCanBeBound() throws {
        let t = try TestIssuer()
        let holder = try PrivateKey.generate(.es256).publicKey
        let concession = try t.issuer.issueConcession("student", validUntil: "2027-06-30", now: now, holderKey: holder)
        #expect(try DecodedAttestation(text: concession.text).claims.holderKey == holder.coseKey)
        let identity = try t.issuer.issueIdentity(
            IdentityAttributes(givenName: "Ada", familyName: "Lovelace", birthDate: "1990-12-10"), now: now,
            holderKey: holder)
        #expect(try DecodedAttestation(text: identity.text).claims.holderKey == holder.coseKey)
        // Unbound codes have no cnf.
        #expect(try t.issuer.issueAge(over: 18, now: now).claims.holderKey == nil)
    }

    @Test func thresholdsMetAreComputedWithoutIssuing() throws {
        let t = try TestIssuer()
        #expect(try t.issuer.ageThresholdsMet(birthDate: "2000-01-01", now: now) == [16, 18, 21])
        #expect(try t.issuer.ageThresholdsMet(birthDate: "2009-01-01", now: now) == [16])
        #expect {
            try t.issuer.ageThresholdsMet(birthDate: "2020-01-01", now: now)
        } throws: { ($0 as? IssuanceError)?.code == .notEligible }
        #expect {
            try t.issuer.issueAge(over: 0, now: now)
        } throws: { ($0 as? IssuanceError)?.field == "thresholds" }
    }

    @Test func onlyP256KeysCanHoldACode() throws {
        let t = try TestIssuer()
        let ed = try PrivateKey.generate(.eddsa).publicKey
        #expect {
            try t.issuer.issueAge(over: 18, now: now, holderKey: ed)
        } throws: { ($0 as? IssuanceError)?.field == "keys" }
    }

    @Test func holderKeysAreParsedAndRepeatsRefused() throws {
        let a = try PrivateKey.generate(.es256).publicKey, b = try PrivateKey.generate(.es256).publicKey
        let parsed = try Issuer.holderKeys(sec1: [a.p256Uncompressed!, b.p256Compressed!])
        #expect(parsed == [a, b])
        // The same key twice, even written in two forms, is refused.
        #expect {
            try Issuer.holderKeys(sec1: [a.p256Uncompressed!, b.p256Uncompressed!, a.p256Compressed!])
        } throws: { error in
            let e = error as? IssuanceError
            return e?.field == "keys" && e?.message.contains("key 2") == true
        }
        var offCurve = a.p256Uncompressed!
        offCurve[40] ^= 0xff
        #expect {
            try Issuer.holderKeys(sec1: [b.p256Uncompressed!, offCurve])
        } throws: { ($0 as? IssuanceError)?.message.contains("key 1") == true }
        #expect {
            try Issuer.holderKeys(sec1: [[1, 2, 3]])
        } throws: { ($0 as? IssuanceError)?.field == "keys" }
    }
}
