import Foundation
import Testing
@testable import VouchStore

/// Opening a store: migrations, restarts, readiness and the schema's own guards, on both backends.
///
/// The migration histories differ by design (SQLite's GRDB migrator records four steps in `grdb_migrations`;
/// the PostgreSQL schema started later, from one version, in `schema_migrations`), so their names are asserted per
/// backend. SQLite's file settings and permissions have no PostgreSQL counterpart.
@Suite("VouchDatabase")
struct VouchDatabaseTests {
    static let sqliteMigrations = [
        "v1-schema", "v2-status-lists", "v3-receipt-keys", "v4-wallets", "v5-wallet-refresh-limit",
    ]

    /// The migrations the store records, per backend.
    static func applied(_ store: Store) async throws -> [String] {
        switch store {
        case .sqlite(let database): try database.settings().appliedMigrations
        case .postgres(let database): try await database.appliedMigrations()
        }
    }

    static func expected(_ backend: Backend) -> [String] {
        backend == .sqlite ? sqliteMigrations : ["v1-schema", "v2-wallet-refresh-limit"]
    }

    @Test("opening applies the migrations; reopening is idempotent and keeps the data", arguments: Backend.allCases)
    func reopen(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        #expect(try await Self.applied(fixture.store) == Self.expected(backend))
        // Every PostgreSQL node migrates when it starts (under an advisory lock): once more changes nothing.
        try await fixture.postgres?.migrate()
        #expect(try await Self.applied(fixture.store) == Self.expected(backend))
        _ = try await APIKeyStore(store: fixture.store).createKey(name: "ops", scopes: [.audit])
        for _ in 0..<3 {
            let store = try await fixture.reopen()
            #expect(try await Self.applied(store) == Self.expected(backend))
            #expect(try await APIKeyStore(store: store).listKeys().map(\.name) == ["ops"])
        }
        #expect(try await fixture.counts().apiKeys == 1)
    }

    @Test("a database from a newer Vouch is refused", arguments: Backend.allCases)
    func newerSchema(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        try await fixture.execute(sqlite: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')",
                                  postgres: "INSERT INTO schema_migrations (version) VALUES ('v99-future')")
        await #expect(throws: StoreError(code: .unsupportedSchema, reason: "")) {
            _ = try await fixture.reopen()
        }
    }

    @Test("readiness is a trivial read", arguments: Backend.allCases)
    func readiness(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        try await fixture.store.checkReadiness()
    }

    @Test("log entries and checkpoints are append-only in the schema itself", arguments: Backend.allCases)
    func appendOnlyTriggers(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        _ = try await writer.commit(Sample.attestation())
        try await fixture.integrate()
        for sql in ["UPDATE log_entries SET entry = x'00'", "DELETE FROM log_entries",
                    "UPDATE checkpoints SET note = ''", "DELETE FROM checkpoints"] {
            let postgresSQL = sql.replacingOccurrences(of: "x'00'", with: "'\\x00'::bytea")
            await #expect(throws: StoreError.self, "\(sql)") {
                try await fixture.execute(sqlite: sql, postgres: postgresSQL)
            }
        }
        let counts = try await fixture.counts()
        #expect(counts.logEntries == 1 && counts.checkpoints == 1)
    }

    @Test("SQLite: WAL mode with synchronous=FULL and foreign keys, in a file readable by its owner only")
    func sqliteSettings() throws {
        // SQLite only: journal, sync and file mode are properties of the embedded file; a PostgreSQL server's
        // durability and files are its operator's (docs/operations.md).
        let fixture = try StoreFixture()
        let settings = try fixture.database.settings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2)
        #expect(settings.foreignKeys)
        #expect(settings.appliedMigrations == Self.sqliteMigrations)
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.database.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        for _ in 0..<2 {
            #expect(try fixture.reopen().settings().synchronous == 2)
        }
    }
}
