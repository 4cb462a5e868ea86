import Foundation
import Testing

@testable import VouchCrypto

@Suite("Certificate parsing")
struct CertificateTests {
    @Test("an OpenSSL-made certificate parses to the values openssl x509 prints")
    func opensslFixture() throws {
        let certificate = try Certificate(pemRepresentation: TestSupport.vectorText("Keys/p256_certificate.pem"))
        #expect(certificate.subject == "CN=Café Root,O=Vouch Test")
        #expect(certificate.issuer == certificate.subject)
        #expect(certificate.sha256Fingerprint.hex == "d7665d93bf48c43bd39525afea997aa45aa8d77bc47235c567e35e45c6432a65")
        #expect(certificate.kid == Array(certificate.sha256Fingerprint.prefix(8)))
        #expect(certificate.kid.hex == "d7665d93bf48c43b")
        #expect(certificate.serialNumberHex == "0102030405060708")
        #expect(certificate.notValidBefore == TestSupport.date(1_795_609_138))
        #expect(certificate.notValidAfter == TestSupport.date(2_110_969_138))
        #expect(certificate.isCA)
        #expect(certificate.publicKey.algorithm == .es256)
        let expectedKey = try PublicKey(pemRepresentation: TestSupport.vectorText("Keys/p256_sec1_public.pem"))
        #expect(certificate.publicKey == expectedKey)
    }

    @Test("DER, PEM and both file forms give the same certificate")
    func encodings() throws {
        let pem = try TestSupport.vectorText("Keys/p256_certificate.pem")
        let der = try [UInt8](Data(contentsOf: TestSupport.vectorURL("Keys/p256_certificate.der")))
        let fromPEM = try Certificate(pemRepresentation: pem)
        let fromDER = try Certificate(derRepresentation: der)
        #expect(fromPEM == fromDER)
        #expect(fromPEM.derRepresentation == der)
        #expect(fromPEM.pemRepresentation == pem)
        #expect(try Certificate(pemRepresentation: fromDER.pemRepresentation) == fromDER)
        #expect(Set([fromPEM, fromDER]).count == 1)
        #expect(try Certificate.load(fromFile: TestSupport.vectorURL("Keys/p256_certificate.pem").path) == [fromPEM])
        #expect(try Certificate.load(fromFile: TestSupport.vectorURL("Keys/p256_certificate.der").path) == [fromDER])
    }

    @Test("a PEM bundle loads every certificate in order, skipping text between blocks")
    func bundle() throws {
        let fixture = try Certificate(pemRepresentation: TestSupport.vectorText("Keys/p256_certificate.pem"))
        let key = try PrivateKey.generate(.eddsa)
        let other = try CertificateFactory.selfSignedCA(
            commonName: "Other", organization: nil, key: key,
            notBefore: TestSupport.date(1_800_000_000), notAfter: TestSupport.date(1_900_000_000))
        let text = "# bundle\n" + other.pemRepresentation + "Bag Attributes: none\n" + fixture.pemRepresentation
        #expect(try Certificate.loadAll(pem: text) == [other, fixture])
        #expect(try Certificate(pemRepresentation: text) == other)

        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bundle.pem").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try Certificate.load(fromFile: path) == [other, fixture])
    }

    @Test("malformed certificates are rejected")
    func malformed() throws {
        let fixture = try Certificate(pemRepresentation: TestSupport.vectorText("Keys/p256_certificate.pem"))
        let der = fixture.derRepresentation
        var badSignatureAlgorithm = der
        badSignatureAlgorithm[4] ^= 0xff
        for bytes in [[], [0x30, 0x00], Array(der.dropLast()), der + [0], badSignatureAlgorithm] {
            #expect(throws: CryptoError(code: .invalidCertificate, reason: "")) {
                try Certificate(derRepresentation: bytes)
            }
        }
        #expect(throws: CryptoError(code: .invalidCertificate, reason: "")) {
            try Certificate(derRepresentation: [UInt8](repeating: 0x30, count: Certificate.maximumDERSize + 1))
        }
        let corruptBody = fixture.pemRepresentation.replacingOccurrences(of: "MII", with: "AAA")
        let privateKeyPEM = try PrivateKey.generate(.es256).pemRepresentation
        for text in ["", "hello", privateKeyPEM, corruptBody, fixture.pemRepresentation + corruptBody] {
            #expect(throws: CryptoError(code: .invalidCertificate, reason: "")) {
                try Certificate.loadAll(pem: text)
            }
        }
        #expect(throws: CryptoError(code: .invalidCertificate, reason: "")) {
            try Certificate(pemRepresentation: "")
        }
    }

    @Test("a certificate for an RSA key is unsupported")
    func rsaCertificate() throws {
        let pem = try TestSupport.vectorText("Keys/rsa_certificate.pem")
        #expect(throws: CryptoError(code: .unsupportedAlgorithm, reason: "")) {
            try Certificate(pemRepresentation: pem)
        }
    }

    @Test("load(fromFile:) rejects missing and non-certificate files")
    func loadRejects() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: CryptoError(code: .io, reason: "")) {
            try Certificate.load(fromFile: directory.appendingPathComponent("absent.pem").path)
        }
        let garbage = directory.appendingPathComponent("garbage.der")
        try Data([0x30, 0x03, 0x02, 0x01, 0x00]).write(to: garbage)
        #expect(throws: CryptoError(code: .invalidCertificate, reason: "")) {
            try Certificate.load(fromFile: garbage.path)
        }
    }
}
