import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog
@testable import VouchStore

/// A fresh data directory with an open store, removed when the fixture ends.
final class StoreFixture: Sendable {
    let directory: URL
    let database: VouchDatabase
    let logKey: PrivateKey
    let receiptKey: PrivateKey
    static let origin = "test.vouch.example/log"

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vouch-store-\(UUID().uuidString)", isDirectory: true)
        database = try VouchDatabase(dataDirectory: directory)
        logKey = try PrivateKey.generate(.eddsa)
        receiptKey = try PrivateKey.generate(.eddsa)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func writer(maximumBatchSize: Int = 256, database: VouchDatabase? = nil) throws -> IssuanceWriter {
        try IssuanceWriter(database: database ?? self.database, logKey: logKey, receiptKey: receiptKey,
                           origin: Self.origin,
                           maximumBatchSize: maximumBatchSize)
    }

    func reopen() throws -> VouchDatabase {
        try VouchDatabase(dataDirectory: directory)
    }

    var reader: AuditLogReader { AuditLogReader(database: database) }

    /// Whether `needle` occurs in any file of the data directory (database, WAL, shared memory).
    func filesContain(_ needle: [UInt8]) throws -> Bool {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names.contains(VouchDatabase.fileName))
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            if bytes.count >= needle.count {
                for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
                    if bytes[start..<start + needle.count].elementsEqual(needle) { return true }
                }
            }
        }
        return false
    }
}

/// Test attestations with unique random cti and token hash.
enum Sample {
    static let kid: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
    static let issuedAt = Date(timeIntervalSince1970: 1_760_000_000)

    static func attestation(statusSlot: StatusSlot? = nil, subject: [UInt8]? = nil,
                            token: [UInt8]? = nil) throws -> PendingAttestation {
        let token = try token ?? SecureRandom.bytes(count: 100)
        return PendingAttestation(
            cti: try SecureRandom.bytes(count: 16), kid: kid, vct: .age,
            tokenHash: PendingAttestation.tokenHash(of: token),
            issuedAt: issuedAt, expiresAt: issuedAt.addingTimeInterval(90 * 86_400),
            statusSlot: statusSlot, subject: subject)
    }
}

extension AuditLogReader {
    /// Recomputes the root from every stored entry, checking each leaf hash on the way.
    func recomputedRoot() throws -> (size: Int, root: [UInt8]) {
        var leaves: [[UInt8]] = []
        try forEachEntry { entry in
            #expect(entry.index == leaves.count)
            #expect(MerkleHash.leaf(entry.entry) == entry.leafHash)
            leaves.append(entry.leafHash)
        }
        return (leaves.count, MerkleHash.root(leafHashes: leaves))
    }
}
