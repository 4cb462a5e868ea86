import Testing
@testable import VouchCrypto

/// Point decompression (`P256Decompression`, used for `cnf` holder keys) agrees with OpenSSL's own.
///
/// The reference is OpenSSL's decoder of a compressed `SubjectPublicKeyInfo`
/// (`d2i_PUBKEY`, which solves for `y` with `BN_mod_sqrt`); ours is
/// `PublicKey(p256SEC1:)` on the same 33 bytes. Both must accept the same
/// `x`, give the same point for either parity, and refuse the same inputs.
@Suite struct P256DecompressionTests {
    /// `SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (33 bytes) }` up to the point.
    static let compressedSPKIPrefix: [UInt8] = [
        0x30, 0x39, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
        0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x22, 0x00,
    ]
    static let p: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ]

    /// p − k as 32 big-endian bytes (k small).
    static func pMinus(_ k: UInt8) -> [UInt8] {
        var x = p
        x[31] -= k
        return x
    }

    func check(_ x: [UInt8]) -> (ours: Bool, openssl: Bool) {
        var accepted = (ours: 0, openssl: 0)
        for prefix: UInt8 in [0x02, 0x03] {
            let point = [prefix] + x
            let reference = try? PublicKey(spkiDER: Self.compressedSPKIPrefix + point)
            let ours = try? PublicKey(p256SEC1: point)
            #expect(ours?.p256Uncompressed == reference?.p256Uncompressed, "x = \(x), prefix \(prefix)")
            if let ours {
                #expect(ours.p256Uncompressed.map { $0[64] & 1 } == prefix & 1, "y has the parity asked for")
                #expect(ours.p256Compressed == point)
                accepted.ours += 1
            }
            if reference != nil { accepted.openssl += 1 }
        }
        return (accepted.ours == 2, accepted.openssl == 2)
    }

    @Test("random and generated x, small x, x at and beyond p")
    func agreesWithOpenSSL() throws {
        var inputs: [[UInt8]] = []
        for _ in 0..<100 { inputs.append(try #require(PrivateKey.generate(.es256).publicKey.p256Compressed).dropFirst().map { $0 }) }
        for _ in 0..<100 { inputs.append(try SecureRandom.bytes(count: 32)) }
        for n in 0..<40 { inputs.append([UInt8](repeating: 0, count: 31) + [UInt8(n)]) }
        for k: UInt8 in 1...20 { inputs.append(Self.pMinus(k)) }
        inputs.append(Self.p)
        var above = Self.p
        above[7] = 0x02  // p + 2^224
        inputs.append(above)
        inputs.append([UInt8](repeating: 0xff, count: 32))
        var accepted = 0, refused = 0
        for x in inputs {
            let result = check(x)
            #expect(result.ours == result.openssl, "x = \(x)")
            if result.ours { accepted += 1 } else { refused += 1 }
        }
        // The generated keys are points; about half of the other x are not.
        #expect(accepted >= 100 && refused >= 40, "accepted \(accepted), refused \(refused)")
        for x in [Self.p, above, [UInt8](repeating: 0xff, count: 32)] {
            #expect(throws: CryptoError(code: .invalidKey, reason: "")) { try PublicKey(p256SEC1: [0x02] + x) }
        }
    }

    @Test("a decompressed key verifies its holder's signatures, and the other parity's key does not")
    func decompressedKeyVerifies() throws {
        for _ in 0..<16 {
            let holder = try PrivateKey.generate(.es256)
            let message = try SecureRandom.bytes(count: 100)
            let signature = try holder.signature(for: message)
            let compressed = try #require(holder.publicKey.p256Compressed)
            let key = try PublicKey(p256SEC1: compressed)
            #expect(key == holder.publicKey)
            #expect(key.isValidSignature(signature, for: message))
            #expect(key.isValidSignature(signature, for: message), "again, through the copied verify context")
            let negated = try PublicKey(p256SEC1: [compressed[0] ^ 0x01] + compressed.dropFirst())
            #expect(!negated.isValidSignature(signature, for: message))
        }
    }

    @Test("the shared constants are only read: many tasks at once get OpenSSL's points")
    func concurrentDecompression() async throws {
        let points = try (0..<32).map { _ in try #require(PrivateKey.generate(.es256).publicKey.p256Compressed) }
        let expected = try points.map { try PublicKey(spkiDER: Self.compressedSPKIPrefix + $0).p256Uncompressed }
        let results = await withTaskGroup(of: (Int, [UInt8]?).self) { group in
            for round in 0..<8 {
                for (index, point) in points.enumerated() {
                    group.addTask { (round * 100 + index, try? PublicKey(p256SEC1: point).p256Uncompressed) }
                }
            }
            return await group.reduce(into: [(Int, [UInt8]?)]()) { $0.append($1) }
        }
        #expect(results.count == 8 * points.count)
        for (tag, point) in results {
            #expect(point != nil && point == expected[tag % 100], "task \(tag)")
        }
    }

    @Test("x of another length has no y")
    func wrongLength() throws {
        let decompression = try #require(P256Decompression.shared)
        #expect(decompression.y(x: [UInt8](repeating: 1, count: 31), yIsOdd: false) == nil)
        #expect(decompression.y(x: [UInt8](repeating: 1, count: 33), yIsOdd: true) == nil)
    }
}
