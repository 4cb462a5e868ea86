import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer

/// A throwaway issuer under a throwaway root, made fresh per test.
struct TestIssuer {
    let root: Certificate
    let issuer: Issuer

    init(algorithm: SigningAlgorithm = .es256, configuration: IssuerConfiguration = .init()) throws {
        let now = Date()
        let rootKey = try PrivateKey.generate(.es256)
        root = try CertificateFactory.selfSignedCA(commonName: "Test Root", organization: nil, key: rootKey,
                                                   notBefore: now.addingTimeInterval(-86_400 * 365 * 30),
                                                   notAfter: now.addingTimeInterval(86_400 * 365))
        let key = try PrivateKey.generate(algorithm)
        let cert = try CertificateFactory.issue(commonName: "Test Issuer", organization: nil, subjectKey: key.publicKey,
                                                issuer: root, issuerKey: rootKey,
                                                notBefore: now.addingTimeInterval(-86_400 * 365 * 30),
                                                notAfter: now.addingTimeInterval(86_400 * 365))
        issuer = try Issuer(key: key, certificate: cert, configuration: configuration)
    }
}

@Suite struct IssuerTests {
    static let now = ISO8601DateFormatter().date(from: "2026-11-25T12:34:56Z")!

    func verify(_ attestation: IssuedAttestation, with issuer: Issuer) throws -> DecodedAttestation {
        let decoded = try DecodedAttestation(text: attestation.text)
        #expect(issuer.certificate.publicKey.isValidSignature(decoded.sign1.signature, for: decoded.sign1.toBeSigned()))
        #expect(decoded.kid == issuer.certificate.kid)
        return decoded
    }

    @Test(arguments: [SigningAlgorithm.es256, .eddsa])
    func ageBatchHasOneClaimPerThresholdMet(algorithm: SigningAlgorithm) throws {
        let t = try TestIssuer(algorithm: algorithm)
        let batch = try t.issuer.issueAge(birthDate: "2000-01-01", now: Self.now)
        #expect(batch.map(\.ageOver) == [16, 18, 21])
        var ids = Set<String>()
        for attestation in batch {
            let decoded = try verify(attestation, with: t.issuer)
            #expect(decoded.algorithm == Int64(algorithm.coseValue))
            let claims = decoded.claims
            #expect(claims.type == .age)
            #expect(claims.ageOver.count == 1)
            #expect(claims.identity == nil && claims.concession == nil)
            #expect(claims.tokenID.count == 16)
            #expect(claims.issuedAt % 3600 == 0)
            #expect(claims.issuedAt == 1_795_608_000)  // 2026-11-25T12:00:00Z
            #expect(claims.expiresAt == claims.issuedAt + 90 * 86_400)
            ids.insert(attestation.id)
            // Nothing in the payload can link the holder: no birth date, no name.
            let payload = String(decoding: decoded.sign1.payload, as: UTF8.self)
            #expect(!payload.contains("2000") && !payload.contains("birth"))
        }
        #expect(ids.count == 3)
    }

    @Test func seventeenYearOldGetsOnlyOver16() throws {
        let t = try TestIssuer()
        let batch = try t.issuer.issueAge(birthDate: "2009-11-26", now: Self.now)
        #expect(batch.map(\.ageOver) == [16])
        let eighteenToday = try t.issuer.issueAge(birthDate: "2008-11-25", now: Self.now)
        #expect(eighteenToday.map(\.ageOver) == [16, 18])
        let custom = try t.issuer.issueAge(birthDate: "1950-01-01", now: Self.now, thresholds: [65, 18])
        #expect(custom.map(\.ageOver) == [18, 65])
    }

    @Test func birthdayDependsOnTheIssuerTimeZone() throws {
        let late = ISO8601DateFormatter().date(from: "2026-11-24T23:30:00Z")!
        let utc = try TestIssuer()
        let error = #expect(throws: IssuanceError.self) {
            try utc.issuer.issueAge(birthDate: "2008-11-25", now: late, thresholds: [18])
        }
        #expect(error?.code == .notEligible)
        let tokyo = try TestIssuer(configuration: IssuerConfiguration(timeZone: TimeZone(identifier: "Asia/Tokyo")!))
        #expect(try tokyo.issuer.issueAge(birthDate: "2008-11-25", now: late, thresholds: [18]).map(\.ageOver) == [18])
    }

    @Test(arguments: [
        ("2000-02-30", "birth_date"), ("2031-01-01", "birth_date"), ("01/01/2000", "birth_date"),
        ("1850-01-01", "birth_date"),
    ])
    func rejectsBadBirthDates(birthDate: String, field: String) throws {
        let t = try TestIssuer()
        let error = #expect(throws: IssuanceError.self) { try t.issuer.issueAge(birthDate: birthDate, now: Self.now) }
        #expect(error?.field == field)
        #expect(error?.code == .invalidField)
        #expect(error.map { !$0.description.contains(birthDate) } ?? false, "an error never echoes the birth date")
    }

    @Test func rejectsBadThresholdsAndValidity() throws {
        let t = try TestIssuer()
        #expect(throws: IssuanceError.self) { try t.issuer.issueAge(birthDate: "2000-01-01", now: Self.now, thresholds: [0]) }
        #expect(throws: IssuanceError.self) { try t.issuer.issueAge(birthDate: "2000-01-01", now: Self.now, thresholds: []) }
        let long = #expect(throws: IssuanceError.self) {
            try t.issuer.issueAge(birthDate: "2000-01-01", now: Self.now, validity: 91 * 86_400)
        }
        #expect(long?.field == "valid_for")
        let child = #expect(throws: IssuanceError.self) { try t.issuer.issueAge(birthDate: "2020-01-01", now: Self.now) }
        #expect(child?.code == .notEligible)
    }

    @Test func concession() throws {
        let t = try TestIssuer()
        let student = try t.issuer.issueConcession("student", validUntil: "2027-07-31", now: Self.now)
        let claims = try verify(student, with: t.issuer).claims
        #expect(claims.type == .concession)
        #expect(claims.concession == "student")
        #expect(claims.expiresAt == 1_817_078_399)  // 2027-07-31T23:59:59Z
        #expect(claims.ageOver.isEmpty && claims.identity == nil)

        let unknown = #expect(throws: IssuanceError.self) {
            try t.issuer.issueConcession("pensioner", validUntil: "2027-01-01", now: Self.now)
        }
        #expect(unknown?.field == "concession")
        let past = #expect(throws: IssuanceError.self) {
            try t.issuer.issueConcession("senior", validUntil: "2026-11-24", now: Self.now)
        }
        #expect(past?.field == "valid_until")
        let tooFar = #expect(throws: IssuanceError.self) {
            try t.issuer.issueConcession("senior", validUntil: "2030-01-01", now: Self.now)
        }
        #expect(tooFar?.field == "valid_until")
        #expect(throws: IssuanceError.self) {
            try t.issuer.issueConcession("senior", validUntil: "2027-02-29", now: Self.now)
        }
    }

    @Test func identity() throws {
        let t = try TestIssuer()
        let attributes = IdentityAttributes(givenName: "Zoë", familyName: "O'Brien-Łukasiewicz", birthDate: "1990-05-17",
                                            nationality: "IE", documentNumber: "PA1234567")
        let claims = try verify(try t.issuer.issueIdentity(attributes, now: Self.now), with: t.issuer).claims
        #expect(claims.identity == attributes)
        #expect(claims.expiresAt - claims.issuedAt == 365 * 86_400)
    }

    @Test(arguments: [
        (IdentityAttributes(givenName: "", familyName: "X", birthDate: "1990-01-01"), "given_name"),
        (IdentityAttributes(givenName: "  ", familyName: "X", birthDate: "1990-01-01"), "given_name"),
        (IdentityAttributes(givenName: "A", familyName: String(repeating: "é", count: 101), birthDate: "1990-01-01"), "family_name"),
        (IdentityAttributes(givenName: "A\u{0}", familyName: "X", birthDate: "1990-01-01"), "given_name"),
        (IdentityAttributes(givenName: "A", familyName: "X ", birthDate: "1990-01-01"), "family_name"),
        (IdentityAttributes(givenName: "A", familyName: "X", birthDate: "1990-02-31"), "birth_date"),
        (IdentityAttributes(givenName: "A", familyName: "X", birthDate: "1990-01-01", nationality: "UK"), "nationality"),
        (IdentityAttributes(givenName: "A", familyName: "X", birthDate: "1990-01-01", nationality: "gb"), "nationality"),
        (IdentityAttributes(givenName: "A", familyName: "X", birthDate: "1990-01-01", documentNumber: ""), "document_number"),
        (IdentityAttributes(givenName: "A", familyName: "X", birthDate: "1990-01-01", documentNumber: "AB 12"), "document_number"),
    ])
    func identityValidation(attributes: IdentityAttributes, field: String) throws {
        let t = try TestIssuer()
        let error = #expect(throws: IssuanceError.self) { try t.issuer.issueIdentity(attributes, now: Self.now) }
        #expect(error?.field == field)
    }

    @Test func keyMustMatchCertificate() throws {
        let t = try TestIssuer()
        let other = try PrivateKey.generate(.es256)
        #expect(throws: IssuanceError.self) { try Issuer(key: other, certificate: t.issuer.certificate) }
    }
}
