import Foundation
import Testing
import VouchCore
import VouchCrypto

/// P-256 keys from SEC1 points and COSE_Keys (format.md §6), checked against the openssl CLI.
@Suite struct P256PointTests {
    @Test func uncompressedAndCompressedRoundTrip() throws {
        for _ in 0..<8 {
            let key = try PrivateKey.generate(.es256).publicKey
            let full = try #require(key.p256Uncompressed)
            let short = try #require(key.p256Compressed)
            #expect(full.count == 65 && full[0] == 0x04)
            #expect(short.count == 33 && (short[0] == 0x02 || short[0] == 0x03))
            #expect(Array(short[1...]) == Array(full[1..<33]))
            #expect(try PublicKey(p256SEC1: full) == key)
            #expect(try PublicKey(p256SEC1: short) == key)
            #expect(try PublicKey(p256X: Array(full[1..<33]), y: Array(full[33...])) == key)
            #expect(try PublicKey(p256X: Array(full[1..<33]), yIsOdd: full[64] & 1 == 1) == key)
            let cose = try #require(key.coseKey)
            #expect(cose.y == .signBit(full[64] & 1 == 1))
            #expect(try PublicKey(coseKey: cose) == key)
            #expect(try PublicKey(coseKey: COSEKey(x: cose.x, y: .bytes(Array(full[33...])))) == key)
        }
    }

    @Test func theOtherSignBitIsTheNegatedPoint() throws {
        let key = try PrivateKey.generate(.es256).publicKey
        let full = try #require(key.p256Uncompressed)
        let flipped = try PublicKey(p256X: Array(full[1..<33]), yIsOdd: full[64] & 1 == 0)
        #expect(flipped != key)
        #expect(try #require(flipped.p256Uncompressed).prefix(33) == full.prefix(33))
    }

    @Test func pointsOffTheCurveAreRefused() throws {
        let key = try PrivateKey.generate(.es256).publicKey
        var full = try #require(key.p256Uncompressed)
        full[64] ^= 0x01
        #expect(throws: CryptoError(code: .invalidKey, reason: "")) { try PublicKey(p256SEC1: full) }
        // About half of all x have no point; some small x must fail to decompress.
        var refused = 0
        for n in 1...24 {
            let x = [UInt8](repeating: 0, count: 31) + [UInt8(n)]
            do {
                let point = try PublicKey(p256X: x, yIsOdd: false)
                #expect(try #require(point.p256Compressed) == [0x02] + x)
            } catch let error as CryptoError {
                #expect(error.code == .invalidKey)
                refused += 1
            }
        }
        #expect(refused > 0 && refused < 24)
    }

    @Test(arguments: [[UInt8](), [0x04], [UInt8](repeating: 4, count: 64), [0x05] + [UInt8](repeating: 1, count: 32),
                      [0x04] + [UInt8](repeating: 1, count: 32), [0x02] + [UInt8](repeating: 1, count: 33)])
    func wrongShapesAreRefused(bytes: [UInt8]) {
        #expect(throws: CryptoError(code: .invalidKey, reason: "")) { try PublicKey(p256SEC1: bytes) }
    }

    @Test func ed25519KeysHaveNoPoint() throws {
        let key = try PrivateKey.generate(.eddsa).publicKey
        #expect(key.p256Uncompressed == nil)
        #expect(key.p256Compressed == nil)
        #expect(key.coseKey == nil)
    }

    /// `openssl ec -conv_form compressed` writes the same 33 bytes, and reads our compressed point back to the key.
    @Test func compressionAgreesWithOpenSSL() throws {
        let openssl = "/usr/bin/openssl"
        try #require(FileManager.default.isExecutableFile(atPath: openssl), "openssl CLI not installed")
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try PrivateKey.generate(.es256).publicKey
        let pem = dir.appendingPathComponent("pub.pem")
        try Data(key.pemRepresentation.utf8).write(to: pem)
        let der = dir.appendingPathComponent("pub.der")
        try Self.run(openssl, ["ec", "-pubin", "-in", pem.path, "-conv_form", "compressed", "-outform", "DER",
                               "-out", der.path])
        let compressedSPKI = [UInt8](try Data(contentsOf: der))
        #expect(Array(compressedSPKI.suffix(33)) == key.p256Compressed)
        #expect(try PublicKey(spkiDER: compressedSPKI).p256Uncompressed == key.p256Uncompressed)
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) \(arguments) failed")
    }
}
