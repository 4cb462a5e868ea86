import Foundation
import Testing

@testable import VouchCrypto

@Suite("Certificate creation")
struct CertificateFactoryTests {
    let notBefore = TestSupport.date(1_767_225_600)  // 2026-01-01T00:00:00Z
    let notAfter = TestSupport.date(2_082_758_400)  // 2036-01-01T00:00:00Z

    @Test("a self-signed CA has the requested fields", arguments: [SigningAlgorithm.es256, .eddsa])
    func selfSignedCA(_ algorithm: SigningAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let root = try CertificateFactory.selfSignedCA(
            commonName: "Vouch Root", organization: "Example Issuer", key: key,
            notBefore: notBefore, notAfter: notAfter, pathLength: 1)
        #expect(root.subject == "CN=Vouch Root,O=Example Issuer")
        #expect(root.issuer == root.subject)
        #expect(root.isCA)
        #expect(root.notValidBefore == notBefore)
        #expect(root.notValidAfter == notAfter)
        #expect(root.publicKey == key.publicKey)
        #expect(root.serialNumberHex.count == 32)
        #expect("4567".contains(root.serialNumberHex.first!))
        #expect(root.sha256Fingerprint == Digest.sha256(root.derRepresentation))
        #expect(root.kid == Array(Digest.sha256(root.derRepresentation).prefix(8)))
    }

    @Test("fingerprint and kid are stable across re-parsing")
    func stableIdentifiers() throws {
        let key = try PrivateKey.generate(.es256)
        let root = try CertificateFactory.selfSignedCA(
            commonName: "Root", organization: nil, key: key, notBefore: notBefore, notAfter: notAfter)
        let reparsedDER = try Certificate(derRepresentation: root.derRepresentation)
        let reparsedPEM = try Certificate(pemRepresentation: root.pemRepresentation)
        for copy in [reparsedDER, reparsedPEM] {
            #expect(copy == root)
            #expect(copy.sha256Fingerprint == root.sha256Fingerprint)
            #expect(copy.kid == root.kid && copy.kid.count == 8)
            #expect(copy.serialNumberHex == root.serialNumberHex)
        }
    }

    @Test("an issued leaf names its issuer and is not a CA", arguments: [SigningAlgorithm.es256, .eddsa])
    func issuedLeaf(_ issuerAlgorithm: SigningAlgorithm) throws {
        let rootKey = try PrivateKey.generate(issuerAlgorithm)
        let root = try CertificateFactory.selfSignedCA(
            commonName: "Root", organization: "Org", key: rootKey, notBefore: notBefore, notAfter: notAfter)
        let leafKey = try PrivateKey.generate(.es256)
        let leaf = try CertificateFactory.issue(
            commonName: "Signer 1", organization: nil, subjectKey: leafKey.publicKey,
            issuer: root, issuerKey: rootKey,
            notBefore: notBefore.addingTimeInterval(TestSupport.day), notAfter: notAfter)
        #expect(leaf.subject == "CN=Signer 1")
        #expect(leaf.issuer == "CN=Root,O=Org")
        #expect(!leaf.isCA)
        #expect(leaf.publicKey == leafKey.publicKey)
        #expect(leaf.notValidBefore == notBefore.addingTimeInterval(TestSupport.day))
        #expect(leaf.serialNumberHex != root.serialNumberHex)
        #expect(leaf.kid != root.kid)
    }

    @Test("extensions are the ones the spec asks for, as openssl reads them")
    func extensionsAsOpenSSLSeesThem() throws {
        let openssl = "/usr/bin/openssl"
        try #require(FileManager.default.isExecutableFile(atPath: openssl), "openssl CLI not installed")
        let rootKey = try PrivateKey.generate(.es256)
        let root = try CertificateFactory.selfSignedCA(
            commonName: "Root", organization: nil, key: rootKey, notBefore: notBefore, notAfter: notAfter)
        let leaf = try CertificateFactory.issue(
            commonName: "Leaf", organization: nil, subjectKey: try PrivateKey.generate(.eddsa).publicKey,
            issuer: root, issuerKey: rootKey, notBefore: notBefore, notAfter: notAfter)

        let rootText = try Self.opensslText(openssl, root)
        #expect(rootText.contains("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0"))
        #expect(rootText.contains("X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign"))
        #expect(rootText.contains("X509v3 Subject Key Identifier"))
        #expect(rootText.contains("Signature Algorithm: ecdsa-with-SHA256"))

        let leafText = try Self.opensslText(openssl, leaf)
        #expect(leafText.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"))
        #expect(leafText.contains("X509v3 Key Usage: critical\n                Digital Signature"))
        #expect(leafText.contains("X509v3 Authority Key Identifier"))
        #expect(leafText.contains("X509v3 Subject Key Identifier"))
        #expect(leafText.contains("Public Key Algorithm: ED25519"))
    }

    @Test("an Ed25519 issuer signs with PureEdDSA")
    func ed25519Issuer() throws {
        let openssl = "/usr/bin/openssl"
        try #require(FileManager.default.isExecutableFile(atPath: openssl), "openssl CLI not installed")
        let root = try CertificateFactory.selfSignedCA(
            commonName: "Root", organization: nil, key: try PrivateKey.generate(.eddsa),
            notBefore: notBefore, notAfter: notAfter)
        #expect(try Self.opensslText(openssl, root).contains("Signature Algorithm: ED25519"))
    }

    @Test("bad requests are rejected")
    func rejects() throws {
        let rootKey = try PrivateKey.generate(.es256)
        let root = try CertificateFactory.selfSignedCA(
            commonName: "Root", organization: nil, key: rootKey, notBefore: notBefore, notAfter: notAfter)
        let leafKey = try PrivateKey.generate(.es256)
        let leaf = try CertificateFactory.issue(
            commonName: "Leaf", organization: nil, subjectKey: leafKey.publicKey,
            issuer: root, issuerKey: rootKey, notBefore: notBefore, notAfter: notAfter)
        let invalidCertificate = CryptoError(code: .invalidCertificate, reason: "")

        #expect(throws: invalidCertificate, "a leaf cannot issue") {
            try CertificateFactory.issue(
                commonName: "Grandchild", organization: nil, subjectKey: leafKey.publicKey,
                issuer: leaf, issuerKey: leafKey, notBefore: notBefore, notAfter: notAfter)
        }
        #expect(throws: CryptoError(code: .invalidKey, reason: ""), "issuer key must match") {
            try CertificateFactory.issue(
                commonName: "Leaf", organization: nil, subjectKey: leafKey.publicKey,
                issuer: root, issuerKey: leafKey, notBefore: notBefore, notAfter: notAfter)
        }
        #expect(throws: invalidCertificate, "notAfter before notBefore") {
            try CertificateFactory.selfSignedCA(
                commonName: "Root", organization: nil, key: rootKey, notBefore: notAfter, notAfter: notBefore)
        }
        #expect(throws: invalidCertificate, "empty validity") {
            try CertificateFactory.issue(
                commonName: "Leaf", organization: nil, subjectKey: leafKey.publicKey,
                issuer: root, issuerKey: rootKey, notBefore: notBefore, notAfter: notBefore)
        }
        for name in ["", String(repeating: "x", count: 65)] {
            #expect(throws: invalidCertificate, "commonName length") {
                try CertificateFactory.selfSignedCA(
                    commonName: name, organization: nil, key: rootKey, notBefore: notBefore, notAfter: notAfter)
            }
        }
        #expect(throws: invalidCertificate, "organization too long for X.520") {
            try CertificateFactory.selfSignedCA(
                commonName: "Root", organization: String(repeating: "o", count: 65), key: rootKey,
                notBefore: notBefore, notAfter: notAfter)
        }
        #expect(throws: invalidCertificate, "negative pathLength") {
            try CertificateFactory.selfSignedCA(
                commonName: "Root", organization: nil, key: rootKey, notBefore: notBefore, notAfter: notAfter,
                pathLength: -1)
        }
    }

    private static func opensslText(_ openssl: String, _ certificate: Certificate) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = ["x509", "-inform", "DER", "-noout", "-text"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(certificate.derRepresentation))
        try input.fileHandleForWriting.close()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: text, as: UTF8.self)
    }
}
