import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog
@testable import VouchStore

/// A fresh SQLite data directory with an open store, removed when the fixture ends (the SQLite half of
/// ``BackendFixture``).
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

    func reopen() throws -> VouchDatabase {
        try VouchDatabase(dataDirectory: directory)
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
