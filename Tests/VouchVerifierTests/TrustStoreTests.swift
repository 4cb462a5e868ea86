import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchVerifier

@Suite struct TrustStoreTests {
    @Test func loadsFromDirectoriesAndReloadsAtomically() throws {
        let a = try VerifierFixture()
        let b = try VerifierFixture()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vouch-trust-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let roots = dir.appendingPathComponent("roots"), issuers = dir.appendingPathComponent("issuers")
        try FileManager.default.createDirectory(at: roots, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: issuers, withIntermediateDirectories: true)
        try Data(a.root.pemRepresentation.utf8).write(to: roots.appendingPathComponent("a.pem"))
        try Data(a.issuer.certificate.derRepresentation).write(to: issuers.appendingPathComponent("a.der"))
        try Data("not a certificate".utf8).write(to: issuers.appendingPathComponent("README.md"))  // ignored by extension

        let store = try TrustStore(sources: .standard(certs: dir, dataDirectory: nil))
        let first = store.snapshot
        #expect(first.roots.count == 1)
        #expect(first.issuers(kid: a.issuer.kid).first?.trustedInterval != nil)
        #expect(first.issuers(kid: b.issuer.kid).isEmpty)

        try Data(b.root.pemRepresentation.utf8).write(to: roots.appendingPathComponent("b.pem"))
        try Data(b.issuer.certificate.pemRepresentation.utf8).write(to: issuers.appendingPathComponent("b.pem"))
        try store.reload()
        #expect(store.snapshot.issuers(kid: b.issuer.kid).first?.trustedInterval != nil)
        #expect(first.issuers(kid: b.issuer.kid).isEmpty, "an old snapshot is unchanged")

        // A broken file makes reload fail and leaves the current store in place.
        try Data("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".utf8)
            .write(to: issuers.appendingPathComponent("broken.pem"))
        #expect(throws: (any Error).self) { try store.reload() }
        #expect(store.snapshot.issuers.count == 2)
    }

    @Test func issuerWithoutItsRootIsKnownButUntrusted() throws {
        let a = try VerifierFixture()
        let store = TrustStore(roots: [], issuers: [a.issuer.certificate])
        let entry = try #require(store.snapshot.issuers(kid: a.issuer.kid).first)
        #expect(entry.trustedInterval == nil)
        #expect(entry.problem != nil)
    }

    /// Readers racing a reload always see a whole snapshot.
    @Test func concurrentReadersSeeWholeSnapshots() async throws {
        let a = try VerifierFixture(), b = try VerifierFixture()
        let store = TrustStore(roots: [a.root], issuers: [a.issuer.certificate])
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for i in 0..<200 {
                    if i % 2 == 0 {
                        store.replace(roots: [b.root], issuers: [b.issuer.certificate], receiptKeys: [])
                    } else {
                        store.replace(roots: [a.root], issuers: [a.issuer.certificate], receiptKeys: [])
                    }
                }
                return true
            }
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<2000 {
                        let s = store.snapshot
                        // The issuer in a snapshot is always the one its root signed: trusted.
                        if s.issuers.count != 1 || s.issuers[0].trustedInterval == nil { return false }
                    }
                    return true
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}
