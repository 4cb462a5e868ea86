import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer

/// Our tokens read by python-cwt and pycose, and theirs read by us (format.md §1).
@Suite struct PythonInteropTests {
    static func makeIssuer(_ algorithm: SigningAlgorithm) throws -> (Issuer, PrivateKey) {
        let now = Date()
        let rootKey = try PrivateKey.generate(.es256)
        let root = try CertificateFactory.selfSignedCA(commonName: "Interop Test Root", organization: nil, key: rootKey,
                                                       notBefore: now.addingTimeInterval(-3600),
                                                       notAfter: now.addingTimeInterval(86_400))
        let key = try PrivateKey.generate(algorithm)
        let cert = try CertificateFactory.issue(commonName: "Interop Test Issuer", organization: nil,
                                                subjectKey: key.publicKey, issuer: root, issuerKey: rootKey,
                                                notBefore: now.addingTimeInterval(-3600),
                                                notAfter: now.addingTimeInterval(86_400))
        return (try Issuer(key: key, certificate: cert), key)
    }

    @Test(arguments: [SigningAlgorithm.es256, .eddsa])
    func pythonVerifiesOurTokens(algorithm: SigningAlgorithm) throws {
        let (issuer, _) = try Self.makeIssuer(algorithm)
        let dir = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let certPath = dir.appendingPathComponent("issuer.pem")
        try Data(issuer.certificate.pemRepresentation.utf8).write(to: certPath)

        let age = try issuer.issueAge(birthDate: "2000-01-01", now: Date(), thresholds: [18])[0]
        let identity = try issuer.issueIdentity(
            IdentityAttributes(givenName: "Ada", familyName: "Lovelace", birthDate: "1990-12-10", nationality: "GB"),
            now: Date())
        let concession = try issuer.issueConcession("student", validUntil: "2027-01-31", now: Date())
        // The same age code carrying a log receipt in its unprotected header (format.md §7): the issuer's
        // signature does not cover that header, so python-cwt must still verify it.
        let receiptKey = try PrivateKey.generate(.eddsa)
        let message = LogReceipt.message(origin: "interop.example/log", index: 3, time: age.claims.issuedAt,
                                         tokenHash: Digest.sha256(age.loggedBytes))
        let receipted = try age.attaching(LogReceipt(index: 3, time: age.claims.issuedAt,
                                                     signature: try receiptKey.signature(for: message)))
        #expect(receipted.coseBytes != age.coseBytes && receipted.loggedBytes == age.coseBytes)
        for attestation in [age, identity, concession, receipted] {
            let result = try ExternalTool.interop(["verify", "--cert", certPath.path, "--token", attestation.text])
            #expect(result.status == 0, "python rejected our token: \(result.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(json["alg"] as? Int == algorithm.coseValue)
            #expect(json["kid"] as? String == issuer.certificate.kid.hexString)
            let claims = try #require(json["claims"] as? [String: Any])
            #expect(claims["7"] as? String == attestation.claims.tokenID.hexString)
            #expect(claims["vct"] as? String == attestation.claims.type.rawValue)
            #expect((claims["4"] as? NSNumber)?.uint64Value == attestation.claims.expiresAt)
        }
        // A token with one flipped signature bit must fail in python too: the check is real.
        var bytes = age.coseBytes
        bytes[bytes.count - 1] ^= 0x01
        let forged = try ExternalTool.interop(["verify", "--cert", certPath.path, "--token", VCH1.encode(bytes)])
        #expect(forged.status != 0)
    }

    @Test(arguments: [(SigningAlgorithm.es256, "cwt"), (.es256, "pycose"), (.eddsa, "cwt"), (.eddsa, "pycose")])
    func weVerifyPythonTokens(algorithm: SigningAlgorithm, library: String) throws {
        let (issuer, key) = try Self.makeIssuer(algorithm)
        let dir = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keyPath = dir.appendingPathComponent("issuer.key.pem")
        try key.write(toPEMFile: keyPath.path)
        let now = UInt64(Date().timeIntervalSince1970)
        let cti = try SecureRandom.bytes(count: 16)
        let result = try ExternalTool.interop([
            "sign", "--key", keyPath.path, "--kid", issuer.certificate.kid.hexString,
            "--alg", algorithm == .es256 ? "ES256" : "EdDSA", "--lib", library,
            "--iat", String(now), "--exp", String(now + 3600), "--cti", cti.hexString, "--age-over", "18",
            "--status-idx", "42", "--status-uri", "https://python.example.org/status/1",
        ])
        #expect(result.status == 0, "python signing failed: \(result.stderr)")
        let decoded = try DecodedAttestation(text: result.stdout)
        #expect(decoded.kid == issuer.certificate.kid)
        #expect(decoded.algorithm == Int64(algorithm.coseValue))
        #expect(issuer.certificate.publicKey.isValidSignature(decoded.sign1.signature, for: decoded.sign1.toBeSigned()))
        #expect(decoded.claims.type == .age)
        #expect(decoded.claims.ageOver == [18])
        #expect(decoded.claims.tokenID == cti)
        #expect(decoded.claims.issuer == "https://python.example.org")
        #expect(decoded.claims.status == StatusReference(index: 42, uri: "https://python.example.org/status/1"))
        // And a different key does not verify it.
        let stranger = try PrivateKey.generate(algorithm)
        #expect(!stranger.publicKey.isValidSignature(decoded.sign1.signature, for: decoded.sign1.toBeSigned()))
    }
}
