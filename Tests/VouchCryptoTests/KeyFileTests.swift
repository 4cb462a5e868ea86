import Foundation
import Testing

@testable import VouchCrypto

@Suite("Private key files")
struct KeyFileTests {
    @Test("write(toPEMFile:) creates a 0600 file that loads back", arguments: [SigningAlgorithm.es256, .eddsa])
    func writeAndLoad(_ algorithm: SigningAlgorithm) throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("issuer.key").path
        let key = try PrivateKey.generate(algorithm)
        try key.write(toPEMFile: path)

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let permissions = try #require(attributes[.posixPermissions] as? NSNumber)
        #expect(permissions.intValue == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == key.pemRepresentation)
        #expect(try PrivateKey.load(fromPEMFile: path).publicKey == key.publicKey)
    }

    @Test("write(toPEMFile:) refuses to overwrite an existing key")
    func refusesToOverwriteKey() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("issuer.key").path
        let first = try PrivateKey.generate(.es256)
        try first.write(toPEMFile: path)
        let second = try PrivateKey.generate(.es256)
        let error = #expect(throws: CryptoError.self) { try second.write(toPEMFile: path) }
        #expect(error?.code == .io)
        #expect(error?.reason.contains("refusing to overwrite") == true)
        #expect(try PrivateKey.load(fromPEMFile: path).publicKey == first.publicKey)
    }

    @Test("write(toPEMFile:) leaves any other existing file untouched")
    func refusesToOverwriteFile() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("notes.txt").path
        try "keep me".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: CryptoError(code: .io, reason: "")) {
            try PrivateKey.generate(.eddsa).write(toPEMFile: path)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
    }

    @Test("write(toPEMFile:) does not follow a dangling symlink")
    func refusesSymlink() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let link = directory.appendingPathComponent("link.key").path
        let target = directory.appendingPathComponent("target.key").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(throws: CryptoError(code: .io, reason: "")) {
            try PrivateKey.generate(.es256).write(toPEMFile: link)
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test("write(toPEMFile:) reports a missing directory")
    func missingDirectory() throws {
        let path = "/nonexistent-vouch-directory/issuer.key"
        #expect(throws: CryptoError(code: .io, reason: "")) {
            try PrivateKey.generate(.es256).write(toPEMFile: path)
        }
    }

    @Test("load(fromPEMFile:) rejects missing, oversized and non-key files")
    func loadRejects() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: CryptoError(code: .io, reason: "")) {
            try PrivateKey.load(fromPEMFile: directory.appendingPathComponent("absent.key").path)
        }
        let large = directory.appendingPathComponent("large.key")
        try Data(repeating: 0x41, count: PrivateKey.maximumPEMFileSize + 1).write(to: large)
        #expect(throws: CryptoError(code: .io, reason: "")) {
            try PrivateKey.load(fromPEMFile: large.path)
        }
        let garbage = directory.appendingPathComponent("garbage.key")
        try Data("hello".utf8).write(to: garbage)
        #expect(throws: CryptoError(code: .invalidKey, reason: "")) {
            try PrivateKey.load(fromPEMFile: garbage.path)
        }
        #expect(throws: CryptoError(code: .io, reason: "")) {
            try PrivateKey.load(fromPEMFile: directory.path)
        }
    }
}
