import Foundation
import Testing

@testable import VouchCrypto

@Suite("Key encodings")
struct KeyEncodingTests {
    static let algorithms: [SigningAlgorithm] = [.es256, .eddsa]
    let message = Array("round trip".utf8)

    @Test("private key PEM (PKCS#8) round-trips", arguments: algorithms)
    func privatePEM(_ algorithm: SigningAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let pem = key.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let parsed = try PrivateKey(pemRepresentation: pem)
        #expect(parsed.algorithm == algorithm)
        #expect(parsed.publicKey == key.publicKey)
        #expect(parsed.pemRepresentation == pem)
        #expect(key.publicKey.isValidSignature(try parsed.signature(for: message), for: message))
    }

    @Test("private key DER (PKCS#8) round-trips", arguments: algorithms)
    func privateDER(_ algorithm: SigningAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let parsed = try PrivateKey(derRepresentation: key.derRepresentation)
        #expect(parsed.publicKey == key.publicKey)
        #expect(parsed.derRepresentation == key.derRepresentation)
    }

    @Test("public key PEM and SPKI DER round-trip", arguments: algorithms)
    func publicEncodings(_ algorithm: SigningAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm).publicKey
        let pem = key.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        let fromPEM = try PublicKey(pemRepresentation: pem)
        let fromDER = try PublicKey(spkiDER: key.spkiDER)
        #expect(fromPEM == key && fromDER == key)
        #expect(fromPEM.algorithm == algorithm)
        #expect(Set([key, fromPEM, fromDER]).count == 1)
        #expect(key != (try PrivateKey.generate(algorithm).publicKey))
    }

    @Test("raw public key forms match SPKI")
    func rawForms() throws {
        let p256 = try PrivateKey.generate(.es256).publicKey
        #expect(p256.spkiDER.count == 91)
        #expect(try PublicKey(p256Uncompressed: Array(p256.spkiDER.suffix(65))) == p256)
        let ed25519 = try PrivateKey.generate(.eddsa).publicKey
        #expect(ed25519.spkiDER.count == 44)
        #expect(try PublicKey(rawEd25519: Array(ed25519.spkiDER.suffix(32))) == ed25519)
        #expect(ed25519.rawEd25519 == Array(ed25519.spkiDER.suffix(32)))
        #expect(try PublicKey(rawEd25519: #require(ed25519.rawEd25519)) == ed25519)
        #expect(p256.rawEd25519 == nil)
    }

    @Test("an OpenSSL 'EC PRIVATE KEY' (SEC 1) PEM is accepted and re-encoded as PKCS#8")
    func sec1PEM() throws {
        let key = try PrivateKey(pemRepresentation: TestSupport.vectorText("Keys/p256_sec1.pem"))
        #expect(key.algorithm == .es256)
        let expected = try PublicKey(pemRepresentation: TestSupport.vectorText("Keys/p256_sec1_public.pem"))
        #expect(key.publicKey == expected)
        #expect(key.pemRepresentation.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(expected.isValidSignature(try key.signature(for: message), for: message))
    }

    @Test("a private key whose embedded public key was swapped is rejected")
    func mismatchedKeyPair() throws {
        let pem = try TestSupport.vectorText("Keys/p256_sec1.pem")
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        var sec1 = [UInt8](try #require(Data(base64Encoded: body)))
        // SEC 1 ECPrivateKey ends with [1] { BIT STRING { 04 || x || y } }.
        #expect(sec1[sec1.count - 65] == 0x04)
        #expect(try PrivateKey(derRepresentation: sec1).publicKey.spkiDER.suffix(65) == sec1.suffix(65))
        let stranger = try PrivateKey.generate(.es256).publicKey.spkiDER.suffix(65)
        sec1.replaceSubrange((sec1.count - 65)..., with: stranger)
        #expect(throws: CryptoError(code: .invalidKey, reason: "")) {
            try PrivateKey(derRepresentation: sec1)
        }
    }

    @Test("an OpenSSL Ed25519 PKCS#8 PEM is accepted")
    func ed25519PEM() throws {
        let key = try PrivateKey(pemRepresentation: TestSupport.vectorText("Keys/ed25519_pkcs8.pem"))
        #expect(key.algorithm == .eddsa)
        let expected = try PublicKey(pemRepresentation: TestSupport.vectorText("Keys/ed25519_public.pem"))
        #expect(key.publicKey == expected)
    }

    @Test(
        "private keys of other algorithms are unsupported",
        arguments: ["Keys/p384_pkcs8.pem", "Keys/rsa_pkcs8.pem"])
    func unsupportedPrivateKeys(_ file: String) throws {
        let pem = try TestSupport.vectorText(file)
        #expect(throws: CryptoError(code: .unsupportedAlgorithm, reason: "")) {
            try PrivateKey(pemRepresentation: pem)
        }
    }

    @Test("an encrypted private key is refused without prompting for a passphrase")
    func encryptedKey() throws {
        let pem = try TestSupport.vectorText("Keys/ed25519_encrypted.pem")
        #expect(throws: CryptoError(code: .invalidKey, reason: "")) {
            try PrivateKey(pemRepresentation: pem)
        }
    }

    @Test("malformed private keys are rejected")
    func malformedPrivateKeys() throws {
        let valid = try PrivateKey.generate(.es256)
        let publicPEM = valid.publicKey.pemRepresentation
        let certificatePEM = try TestSupport.vectorText("Keys/p256_certificate.pem")
        for text in ["", "not a key", publicPEM, certificatePEM, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"] {
            #expect(throws: CryptoError(code: .invalidKey, reason: "")) {
                try PrivateKey(pemRepresentation: text)
            }
        }
        let der = valid.derRepresentation
        for bytes in [[], [0x30], Array(der.dropLast()), der + [0], valid.publicKey.spkiDER] {
            #expect(throws: CryptoError(code: .invalidKey, reason: "")) {
                try PrivateKey(derRepresentation: bytes)
            }
        }
    }

    @Test("malformed public keys are rejected")
    func malformedPublicKeys() throws {
        let p256 = try PrivateKey.generate(.es256)
        let spki = p256.publicKey.spkiDER
        let point = Array(spki.suffix(65))
        var offCurve = point
        offCurve[64] ^= 0x01
        var compressedPrefix = point
        compressedPrefix[0] = 0x02
        let attempts: [() throws -> PublicKey] = [
            { try PublicKey(spkiDER: []) },
            { try PublicKey(spkiDER: Array(spki.dropLast())) },
            { try PublicKey(spkiDER: spki + [0]) },
            { try PublicKey(spkiDER: p256.derRepresentation) },
            { try PublicKey(pemRepresentation: "") },
            { try PublicKey(pemRepresentation: p256.pemRepresentation) },
            { try PublicKey(p256Uncompressed: offCurve) },
            { try PublicKey(p256Uncompressed: compressedPrefix) },
            { try PublicKey(p256Uncompressed: Array(point.dropLast())) },
            { try PublicKey(p256Uncompressed: [UInt8](repeating: 0, count: 65)) },
            { try PublicKey(rawEd25519: [UInt8](repeating: 1, count: 31)) },
            { try PublicKey(rawEd25519: [UInt8](repeating: 1, count: 33)) },
        ]
        for attempt in attempts {
            #expect(throws: CryptoError(code: .invalidKey, reason: "")) { _ = try attempt() }
        }
    }

    @Test(
        "public keys of other algorithms are unsupported",
        arguments: ["Keys/p384_public.pem", "Keys/rsa_public.pem"])
    func unsupportedPublicKeys(_ file: String) throws {
        let pem = try TestSupport.vectorText(file)
        #expect(throws: CryptoError(code: .unsupportedAlgorithm, reason: "")) {
            try PublicKey(pemRepresentation: pem)
        }
    }

    @Test("descriptions and reflection never show private key material", arguments: algorithms)
    func redaction(_ algorithm: SigningAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let body = key.pemRepresentation.split(separator: "\n").dropFirst().dropLast().joined()
        var dumped = ""
        dump(key, to: &dumped)
        for text in [String(describing: key), String(reflecting: key), "\(key)", dumped] {
            #expect(!text.contains(body))
            #expect(!text.contains(key.derRepresentation.hex))
        }
        #expect(String(describing: key).contains("redacted"))
    }
}
