import Foundation
import Testing

@testable import VouchCrypto

@Suite("PBKDF2-HMAC-SHA256 (staff PIN hashes)")
struct PBKDF2Tests {
    /// RFC 7914 §11, the PBKDF2-HMAC-SHA256 vectors.
    @Test func rfc7914Vectors() throws {
        let one = try PBKDF2.derive(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64)
        #expect(one.hex == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
            + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
        let many = try PBKDF2.derive(password: Array("Password".utf8), salt: Array("NaCl".utf8), iterations: 80_000,
                                     length: 64)
        #expect(many.hex == "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
            + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d")
    }

    /// Against Python's hashlib (its own PBKDF2 over OpenSSL's HMAC, a separate call path).
    @Test func matchesPythonHashlib() throws {
        let salt = try SecureRandom.bytes(count: 16)
        let ours = try PBKDF2.hmacSHA256(password: Array("4711".utf8), salt: salt, iterations: 12_345)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", "import hashlib,sys; print(hashlib.pbkdf2_hmac('sha256', b'4711', "
            + "bytes.fromhex(sys.argv[1]), 12345).hex())", salt.hex]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == ours.hex)
    }

    @Test func refusesWeakOrAbsurdParameters() {
        #expect(throws: CryptoError.self) { try PBKDF2.hmacSHA256(password: [1], salt: [1], iterations: 1000) }
        #expect(throws: CryptoError.self) { try PBKDF2.hmacSHA256(password: [1], salt: [1], iterations: 20_000_000) }
        #expect(throws: CryptoError.self) { try PBKDF2.hmacSHA256(password: [1], salt: [], iterations: 20_000) }
        #expect(throws: CryptoError.self) { try PBKDF2.hmacSHA256(password: [1], salt: [1], iterations: 20_000, length: 0) }
    }
}
