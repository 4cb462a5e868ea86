import Testing

@testable import VouchCrypto

@Suite("Signing and verification")
struct SigningTests {
    static let algorithms: [SigningAlgorithm] = [.es256, .eddsa]
    let message = Array("Signature1 over some protected header and payload".utf8)

    @Test("sign then verify round-trips", arguments: algorithms)
    func roundTrip(_ algorithm: SigningAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        #expect(key.algorithm == algorithm)
        #expect(key.publicKey.algorithm == algorithm)
        let signature = try key.signature(for: message)
        #expect(signature.count == 64)
        #expect(key.publicKey.isValidSignature(signature, for: message))
    }

    @Test("an empty message can be signed and verified", arguments: algorithms)
    func emptyMessage(_ algorithm: SigningAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let signature = try key.signature(for: [])
        #expect(key.publicKey.isValidSignature(signature, for: []))
        #expect(!key.publicKey.isValidSignature(signature, for: [0]))
    }

    @Test("a tampered message is rejected", arguments: algorithms)
    func tamperedMessage(_ algorithm: SigningAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let signature = try key.signature(for: message)
        for index in [0, message.count / 2, message.count - 1] {
            var tampered = message
            tampered[index] ^= 0x01
            #expect(!key.publicKey.isValidSignature(signature, for: tampered))
        }
        #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
        #expect(!key.publicKey.isValidSignature(signature, for: Array(message.dropLast())))
    }

    @Test("a tampered signature is rejected", arguments: algorithms)
    func tamperedSignature(_ algorithm: SigningAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let signature = try key.signature(for: message)
        for index in [0, 31, 32, 63] {
            var tampered = signature
            tampered[index] ^= 0x80
            #expect(!key.publicKey.isValidSignature(tampered, for: message))
        }
    }

    @Test("signatures of the wrong length are rejected", arguments: algorithms)
    func wrongLength(_ algorithm: SigningAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let signature = try key.signature(for: message)
        let candidates: [[UInt8]] = [
            [], Array(signature.dropLast()), signature + [0], [0] + signature,
            signature + signature, [UInt8](repeating: 0, count: 72),
        ]
        for candidate in candidates {
            #expect(!key.publicKey.isValidSignature(candidate, for: message))
        }
    }

    @Test("a DER-encoded ES256 signature is rejected: COSE wants raw r||s")
    func derSignatureRejected() throws {
        let key = try PrivateKey.generate(.es256)
        let raw = try key.signature(for: message)
        let der = try #require(
            ECDSASignature.withDER(fromRaw: raw) { Array(UnsafeBufferPointer(start: $0, count: $1)) })
        #expect(der.first == 0x30 && der.count != 64)
        #expect(!key.publicKey.isValidSignature(der, for: message))
        #expect(try ECDSASignature.rawFromDER(der) == raw)
    }

    @Test("ES256 signatures with r or s out of range are rejected")
    func es256OutOfRange() throws {
        let key = try PrivateKey.generate(.es256)
        let signature = try key.signature(for: message)
        let r = Array(signature[..<32])
        let s = Array(signature[32...])
        let zero = [UInt8](repeating: 0, count: 32)
        let order = [UInt8](hex: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
        let allOnes = [UInt8](repeating: 0xff, count: 32)
        for (badR, badS) in [(zero, s), (r, zero), (zero, zero), (order, s), (r, order), (allOnes, s), (r, allOnes)] {
            #expect(!key.publicKey.isValidSignature(badR + badS, for: message))
        }
    }

    @Test("a signature from another key is rejected", arguments: algorithms)
    func wrongKey(_ algorithm: SigningAlgorithm) throws {
        let signer = try PrivateKey.generate(algorithm)
        let other = try PrivateKey.generate(algorithm)
        let signature = try signer.signature(for: message)
        #expect(!other.publicKey.isValidSignature(signature, for: message))
    }

    @Test("a signature is not accepted under the other algorithm")
    func crossAlgorithm() throws {
        let ecdsa = try PrivateKey.generate(.es256)
        let eddsa = try PrivateKey.generate(.eddsa)
        #expect(!eddsa.publicKey.isValidSignature(try ecdsa.signature(for: message), for: message))
        #expect(!ecdsa.publicKey.isValidSignature(try eddsa.signature(for: message), for: message))
    }

    @Test("ES256 is randomized, Ed25519 is deterministic")
    func determinism() throws {
        let ecdsa = try PrivateKey.generate(.es256)
        #expect(try ecdsa.signature(for: message) != ecdsa.signature(for: message))
        let eddsa = try PrivateKey.generate(.eddsa)
        #expect(try eddsa.signature(for: message) == eddsa.signature(for: message))
    }

    @Test("one key verifies from many tasks at once", arguments: algorithms)
    func concurrentVerification(_ algorithm: SigningAlgorithm) async throws {
        let key = try PrivateKey.generate(algorithm)
        let publicKey = key.publicKey
        let message = self.message
        let signature = try key.signature(for: message)
        let results = await withTaskGroup(of: Bool.self, returning: [Bool].self) { group in
            for task in 0..<8 {
                group.addTask {
                    (0..<50).allSatisfy { round in
                        let valid = publicKey.isValidSignature(signature, for: message)
                        var forged = signature
                        forged[(task + round) % 64] ^= 1
                        return valid && !publicKey.isValidSignature(forged, for: message)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}
