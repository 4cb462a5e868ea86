import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer

/// An issuer whose clock puts `iat` outside its certificate's validity refuses to sign: the code would be
/// refused as `untrusted_issuer` at every till. (Tests/ScaleOut/clock.py shows it on a running node.)
@Suite struct IssuerClockTests {
    /// An issuer whose certificate is valid from an hour before `made` for a year, as IssuerKeys makes one.
    func issuer(made: Date) throws -> Issuer {
        let rootKey = try PrivateKey.generate(.es256)
        let root = try CertificateFactory.selfSignedCA(commonName: "Test Root", organization: nil, key: rootKey,
                                                       notBefore: made.addingTimeInterval(-3600),
                                                       notAfter: made.addingTimeInterval(86_400 * 365))
        let key = try PrivateKey.generate(.es256)
        let cert = try CertificateFactory.issue(commonName: "Test Issuer", organization: nil, subjectKey: key.publicKey,
                                                issuer: root, issuerKey: rootKey,
                                                notBefore: made.addingTimeInterval(-3600),
                                                notAfter: made.addingTimeInterval(86_400 * 365))
        return try Issuer(key: key, certificate: cert)
    }

    func refusesForClock(_ body: () throws -> Any) {
        do {
            _ = try body()
            Issue.record("issued although iat is outside the certificate's validity")
        } catch let error as IssuanceError {
            #expect(error.code == .clock && error.field == nil, "\(error)")
            #expect(error.message.contains("clock"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("a clock at or after the certificate's start issues; two hours before it, or past its end, refuses")
    func clockOutsideTheCertificate() throws {
        let made = ISO8601DateFormatter().date(from: "2026-12-01T14:20:00Z")!
        let issuer = try issuer(made: made)
        // iat is rounded down to the hour: 14:00, after the certificate's start at 13:20.
        #expect(try issuer.issueAge(over: 18, now: made).claims.issuedAt == 1_796_133_600)
        // 30 minutes back: 13:50 rounds down to 13:00, before 13:20.
        refusesForClock { try issuer.issueAge(over: 18, now: made.addingTimeInterval(-1800)) }
        refusesForClock { try issuer.issueAge(over: 18, now: made.addingTimeInterval(-7200)) }
        refusesForClock {
            try issuer.issueConcession("student", validUntil: "2026-12-31", now: made.addingTimeInterval(-7200))
        }
        let identity = IdentityAttributes(givenName: "Ada", familyName: "Lovelace", birthDate: "1990-01-01",
                                          nationality: "GB", documentNumber: "X1")
        #expect(throws: Never.self) { try issuer.issueIdentity(identity, now: made) }
        refusesForClock { try issuer.issueIdentity(identity, now: made.addingTimeInterval(-3601)) }
        refusesForClock { try issuer.issueAge(over: 18, now: made.addingTimeInterval(86_400 * 366)) }
    }

    @Test("clockFits says whether issuing now would pass, as readiness reports it")
    func clockFits() throws {
        let made = ISO8601DateFormatter().date(from: "2026-12-01T14:20:00Z")!
        let issuer = try issuer(made: made)
        #expect(issuer.clockFits(made))
        #expect(issuer.clockFits(made.addingTimeInterval(86_400 * 300)))
        #expect(!issuer.clockFits(made.addingTimeInterval(-1800)), "13:50 rounds down to 13:00, before 13:20")
        #expect(!issuer.clockFits(made.addingTimeInterval(-7200)))
        #expect(!issuer.clockFits(made.addingTimeInterval(86_400 * 366)))
    }
}
