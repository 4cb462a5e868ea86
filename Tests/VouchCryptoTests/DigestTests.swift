import Testing

@testable import VouchCrypto

@Suite("Digests, MACs, randomness and small types")
struct DigestTests {
    @Test("SHA-256 known answers (FIPS 180-2)")
    func sha256() {
        #expect(Digest.sha256(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("SHA-256 of parts and of a prefix byte equals SHA-256 of the concatenation")
    func sha256Parts() {
        let entry = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let left = [UInt8](repeating: 0xaa, count: 32), right = [UInt8](repeating: 0x55, count: 32)
        #expect(Digest.sha256(prefix: 0x00, entry) == Digest.sha256([0x00] + entry))
        #expect(Digest.sha256(prefix: 0x01, left, right) == Digest.sha256([0x01] + left + right))
        #expect(Digest.sha256(prefix: 0x00, []) == Digest.sha256([0x00]))
        #expect(Digest.sha256(parts: [Array("a".utf8), [], Array("bc".utf8)]).hex
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256(parts: []) == Digest.sha256([]))
        #expect(Digest.sha256(parts: [[], []]) == Digest.sha256([]))
    }

    @Test("SHA-256 gives the same answers from many threads at once")
    func sha256Concurrent() async {
        let expected = Digest.sha256(Array("abc".utf8))
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<500).allSatisfy { _ in Digest.sha256(Array("abc".utf8)) == expected } }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(results)
    }

    @Test(
        "HMAC-SHA-256 known answers (RFC 4231 test cases 1, 2 and 6)",
        arguments: [
            ([UInt8](repeating: 0x0b, count: 20), "Hi There",
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (Array("Jefe".utf8), "what do ya want for nothing?",
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            ([UInt8](repeating: 0xaa, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ])
    func hmac(key: [UInt8], message: String, expected: String) {
        #expect(Digest.hmacSHA256(key: key, message: Array(message.utf8)).hex == expected)
    }

    @Test("HMAC with an empty key or message still yields 32 bytes")
    func hmacEmpty() {
        #expect(Digest.hmacSHA256(key: [], message: []).count == 32)
        #expect(Digest.hmacSHA256(key: [], message: [1]) != Digest.hmacSHA256(key: [1], message: [1]))
    }

    @Test("constantTimeEquals compares contents and lengths")
    func constantTime() {
        #expect(constantTimeEquals([], []))
        #expect(constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!constantTimeEquals([1, 2, 3], [0, 2, 3]))
        #expect(!constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(!constantTimeEquals([], [0]))
    }

    @Test("SecureRandom returns the requested number of fresh bytes")
    func random() throws {
        let first = try SecureRandom.bytes(count: 32)
        #expect(first.count == 32)
        #expect(try first != SecureRandom.bytes(count: 32))
        #expect(try SecureRandom.bytes(count: 0) == [])
        #expect(throws: CryptoError(code: .randomFailed, reason: "")) {
            try SecureRandom.bytes(count: -1)
        }
    }

    @Test("SigningAlgorithm maps COSE values both ways")
    func algorithms() {
        #expect(SigningAlgorithm.es256.coseValue == -7)
        #expect(SigningAlgorithm.eddsa.coseValue == -8)
        #expect(SigningAlgorithm(coseValue: -7) == .es256)
        #expect(SigningAlgorithm(coseValue: -8) == .eddsa)
        for unsupported in [0, 1, -35, -36, -257, -9] {
            #expect(SigningAlgorithm(coseValue: unsupported) == nil)
        }
        #expect(SigningAlgorithm.es256.name == "ES256" && SigningAlgorithm.eddsa.name == "EdDSA")
    }

    @Test("CryptoError compares by code only")
    func errorEquality() {
        let a = CryptoError(code: .invalidKey, reason: "one")
        let b = CryptoError(code: .invalidKey, reason: "two")
        let c = CryptoError(code: .io, reason: "one")
        #expect(a == b && a.hashValue == b.hashValue)
        #expect(a != c)
        #expect(a.description == "CryptoError.invalidKey: one")
        #expect(a.file.hasSuffix("DigestTests.swift"))
    }
}
