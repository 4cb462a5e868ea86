import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog
@testable import VouchStore
import VouchPostgresTesting
import Synchronization

/// What the converted store suites need beyond the public calls: a restart, row counts, raw SQL and the bytes the
/// store holds, each on whichever backend the fixture runs.
extension BackendFixture {
    /// The store opened again, as after a restart of the node: a new SQLite handle on the same file, or a new
    /// PostgreSQL pool on the same database (migrations run again and must change nothing).
    func reopen() async throws -> Store {
        let store: Store
        switch self.store {
        case .sqlite:
            store = .sqlite(try #require(sqlite).reopen())
        case .postgres(let database):
            store = .postgres(try await PostgresDatabase.open(database.url, timeouts: database.timeouts))
        }
        reopened.withLock { $0.append(store) }
        return store
    }

    /// Rows of the main tables (on PostgreSQL read with SQL, as `VouchDatabase.counts()` does on SQLite).
    func counts() async throws -> VouchDatabase.Counts {
        switch store {
        case .sqlite(let database):
            return try await database.counts()
        case .postgres(let database):
            func count(_ table: String) async throws -> Int {
                try await database.unsafeFetchInt("SELECT count(*) FROM \(table)") ?? 0
            }
            return VouchDatabase.Counts(attestations: try await count("attestations"),
                                        apiKeys: try await count("api_keys"),
                                        logEntries: try await count("log_entries"),
                                        checkpoints: try await count("checkpoints"))
        }
    }

    /// Runs raw SQL, written per backend where the dialects differ (randomblob against sha256, triggers).
    func execute(sqlite sqliteSQL: String, postgres postgresSQL: String) async throws {
        switch store {
        case .sqlite(let database): try database.unsafeExecute(sqliteSQL)
        case .postgres(let database): try await database.unsafeExecute(postgresSQL)
        }
    }

    /// A table's column names in order.
    func columns(of table: String) async throws -> [String] {
        switch store {
        case .sqlite(let database): try database.columns(of: table)
        case .postgres(let database): try await database.columns(of: table)
        }
    }

    /// Everything the store holds now, to look for bytes in.
    ///
    /// SQLite: every file of the data directory (database, WAL, shared memory). PostgreSQL: the whole database
    /// as `pg_dump` writes it (schema and data), where a `bytea` value appears in hex.
    func contents() async throws -> StoreContents {
        switch store {
        case .sqlite:
            let directory = try #require(sqlite).directory
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(names.contains(VouchDatabase.fileName))
            return StoreContents(files: try names.map { try Data(contentsOf: directory.appendingPathComponent($0)) })
        case .postgres(let database):
            let dump = try await PostgresTestCluster.dump(database.url)
            #expect(dump.count > 1000, "the dump holds the schema at least")
            return StoreContents(files: [dump])
        }
    }

    /// On SQLite folds the WAL into the main file (a no-op on PostgreSQL, whose dump reads committed rows).
    func checkpointWAL() throws {
        if case .sqlite(let database) = store { try database.checkpointWAL() }
    }

    /// Recomputes the root from every stored entry, page by page, checking each leaf hash on the way.
    func recomputedRoot(store: Store? = nil) async throws -> (size: Int, root: [UInt8]) {
        let reader = AuditLogReader(store: store ?? self.store)
        var leaves: [[UInt8]] = []
        while true {
            let page = try await reader.entries(in: leaves.count..<leaves.count + AuditLogReader.maximumPageSize)
            for entry in page {
                #expect(entry.index == leaves.count)
                #expect(MerkleHash.leaf(entry.entry) == entry.leafHash)
                leaves.append(entry.leafHash)
            }
            if page.count < AuditLogReader.maximumPageSize { break }
        }
        return (leaves.count, MerkleHash.root(leafHashes: leaves))
    }
}

/// The bytes a store held at one moment (``BackendFixture/contents()``).
struct StoreContents {
    let files: [Data]

    /// Whether `needle` occurs anywhere, raw or as lower-case hex (pg_dump writes `bytea` as `\\x...` hex; on
    /// SQLite the hex form would be a leak written as text).
    func contains(_ needle: [UInt8]) -> Bool {
        let forms = [Data(needle), Data(Hex.encode(needle).utf8)]
        return files.contains { file in forms.contains { file.range(of: $0) != nil } }
    }

    func contains(_ text: String) -> Bool { contains(Array(text.utf8)) }
}
