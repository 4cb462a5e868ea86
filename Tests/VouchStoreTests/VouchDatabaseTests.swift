import Foundation
import Testing
@testable import VouchStore

@Suite("VouchDatabase")
struct VouchDatabaseTests {
    @Test("opening applies the migrations, in WAL mode with synchronous=FULL")
    func settings() throws {
        let fixture = try StoreFixture()
        let settings = try fixture.database.settings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2)
        #expect(settings.foreignKeys)
        #expect(settings.appliedMigrations == ["v1-schema", "v2-status-lists", "v3-receipt-keys", "v4-wallets", "v5-wallet-refresh-limit"])
    }

    @Test("reopening is idempotent and keeps the data")
    func reopen() async throws {
        let fixture = try StoreFixture()
        _ = try APIKeyStore(database: fixture.database).create(name: "ops", scopes: [.audit])
        for _ in 0..<3 {
            let database = try fixture.reopen()
            let settings = try database.settings()
            #expect(settings.appliedMigrations == ["v1-schema", "v2-status-lists", "v3-receipt-keys", "v4-wallets", "v5-wallet-refresh-limit"])
            #expect(settings.synchronous == 2)
            #expect(try await database.counts().apiKeys == 1)
        }
    }

    @Test("a database from a newer Vouch is refused")
    func newerSchema() throws {
        let fixture = try StoreFixture()
        try fixture.database.unsafeExecute("INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')")
        #expect(throws: StoreError(code: .unsupportedSchema, reason: "")) {
            _ = try fixture.reopen()
        }
    }

    @Test("readiness is a trivial read")
    func readiness() async throws {
        let fixture = try StoreFixture()
        try await fixture.database.checkReadiness()
    }

    @Test("the database file is readable by its owner only")
    func permissions() throws {
        let fixture = try StoreFixture()
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.database.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("log entries and checkpoints are append-only in the schema itself")
    func appendOnlyTriggers() async throws {
        let fixture = try StoreFixture()
        let writer = try fixture.writer()
        _ = try await writer.commit(Sample.attestation())
        for sql in ["UPDATE log_entries SET entry = x'00'", "DELETE FROM log_entries",
                    "UPDATE checkpoints SET note = ''", "DELETE FROM checkpoints"] {
            #expect(throws: StoreError.self) { try fixture.database.unsafeExecute(sql) }
        }
        #expect(try await fixture.database.counts().logEntries == 1)
    }
}
