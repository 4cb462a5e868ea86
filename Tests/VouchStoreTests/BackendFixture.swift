import Foundation
import Testing
import VouchCrypto
import VouchLog
@testable import VouchStore
import VouchPostgresTesting
import Synchronization

/// Which store a parameterized test runs on.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// A fresh store of either backend with the writer's keys; on PostgreSQL also an integrator.
final class BackendFixture: Sendable {
    let backend: Backend
    let store: Store
    let logKey: PrivateKey
    let receiptKey: PrivateKey
    /// The SQLite data directory (nil on PostgreSQL).
    let sqlite: StoreFixture?
    /// Stores opened again by ``reopen()`` (PostgreSQL pools to close at the end).
    let reopened = Mutex<[Store]>([])

    init(_ backend: Backend) async throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let fixture = try StoreFixture()
            sqlite = fixture
            store = .sqlite(fixture.database)
            logKey = fixture.logKey
            receiptKey = fixture.receiptKey
        case .postgres:
            sqlite = nil
            // Generous bounds: the whole test suite runs at once on two cores; the 5 s default is tested elsewhere.
            var timeouts = PostgresTimeouts()
            timeouts.operation = 60
            timeouts.statement = 30
            // The gate bounds only the creation and migration of the database, the expensive part. Held for
            // the fixture's life, a fixture kept alive past its test held a place for good, and the remaining
            // PostgreSQL store tests waited for ever (a whole-suite run hung so, idle, with no connection open).
            await TestGate.postgresStores.enter()
            defer { TestGate.postgresStores.leave() }
            store = .postgres(try await PostgresTestCluster.freshDatabase(timeouts: timeouts))
            logKey = try PrivateKey.generate(.eddsa)
            receiptKey = try PrivateKey.generate(.eddsa)
        }
    }

    deinit {
        for store in [store] + reopened.withLock({ $0 }) {
            if case .postgres(let database) = store { database.close() }
        }
    }

    var postgres: PostgresDatabase? {
        if case .postgres(let database) = store { return database }
        return nil
    }

    func writer(maximumBatchSize: Int = 256, store: Store? = nil) throws -> IssuanceWriter {
        try IssuanceWriter(store: store ?? self.store, logKey: logKey, receiptKey: receiptKey,
                           origin: StoreFixture.origin, maximumBatchSize: maximumBatchSize)
    }

    func integrator(holder: String? = nil, leaseSeconds: Double = 2) throws -> PostgresIntegrator? {
        guard let postgres else { return nil }
        return try PostgresIntegrator(database: postgres, logKey: logKey, origin: StoreFixture.origin, holder: holder,
                                      leaseSeconds: leaseSeconds)
    }

    var reader: AuditLogReader { AuditLogReader(store: store) }

    /// On PostgreSQL: integrates everything committed (SQLite did it in each commit).
    func integrate() async throws {
        guard let integrator = try integrator(holder: "test-integrator") else { return }
        while true {
            let round = try await integrator.integrate()
            if case .idle = round { return }
            #expect(round != .conflict)
        }
    }

    /// Audits the whole (integrated) log with the writer's log key.
    func audit() async throws -> AuditReport {
        let verifier = try NoteVerifier(name: StoreFixture.origin, publicKey: logKey.publicKey)
        return try await reader.audit(using: LogAuditor(origin: StoreFixture.origin, verifiers: [verifier]))
    }
}
