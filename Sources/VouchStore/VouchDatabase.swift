public import Foundation
internal import GRDB

/// The embedded SQLite store: one `vouch.sqlite` file in WAL mode, opened
/// through a GRDB `DatabasePool` (one writer, several concurrent readers).
///
/// Opening applies every pending migration, so a value of this type always
/// has the current schema. Commits are durable when they return:
/// `synchronous=FULL` makes SQLite fsync the WAL on every commit, which the
/// group commit of ``IssuanceWriter`` amortizes over many attestations.
public final class VouchDatabase: Sendable {
    /// The file name inside the data directory.
    public static let fileName = "vouch.sqlite"

    /// The path of the database file.
    public let path: String

    /// The GRDB pool; only this module touches SQL.
    let pool: DatabasePool

    /// Opens (creating if needed) `dataDirectory/vouch.sqlite`.
    ///
    /// - Parameters:
    ///   - dataDirectory: Created with mode 0700 if missing.
    ///   - busyTimeout: How long a statement waits for a lock held by another
    ///     connection (another process, or a checkpoint) before failing.
    /// - Throws: `StoreError.database` if the file cannot be opened or
    ///   migrated, `StoreError.unsupportedSchema` if a newer Vouch wrote it.
    public convenience init(dataDirectory: URL, busyTimeout: TimeInterval = 5) throws {
        do {
            try FileManager.default.createDirectory(
                at: dataDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(code: .database, reason: "cannot create data directory: \(error)")
        }
        try self.init(path: dataDirectory.appendingPathComponent(Self.fileName).path, busyTimeout: busyTimeout)
    }

    /// Opens (creating if needed) the database file at `path`.
    ///
    /// - Throws: See ``init(dataDirectory:busyTimeout:)``.
    public init(path: String, busyTimeout: TimeInterval = 5) throws {
        self.path = path
        var configuration = Configuration()
        configuration.label = "vouch"
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try StoreError.wrap("open database") {
            try DatabasePool(path: path, configuration: configuration)
        }
        // The API key hashes and the log key's checkpoints live here: owner only.
        // SQLite gives the -wal and -shm files the permissions of the main file.
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try StoreError.wrap("configure writer") {
            try pool.writeWithoutTransaction { db in
                // GRDB's WAL setup runs after prepareDatabase and sets
                // synchronous=NORMAL on the writer, which may lose the last
                // commits on power loss. Issuance must not: force FULL again.
                try db.execute(sql: "PRAGMA synchronous = FULL")
                let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous")
                guard synchronous == 2 else {
                    throw StoreError(code: .database, reason: "PRAGMA synchronous is \(synchronous ?? -1), not FULL")
                }
            }
        }
        try Self.migrate(pool)
    }

    /// Checks that the store answers a trivial read, for `/readyz`.
    ///
    /// - Throws: `StoreError.database` if SQLite cannot serve a read.
    public func checkReadiness() async throws {
        try await StoreError.wrap("readiness") {
            _ = try await pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT 1 FROM checkpoints LIMIT 1)")
            }
        }
    }

    /// The writer connection's settings, for diagnostics and tests.
    public func settings() throws -> Settings {
        try StoreError.wrap("read settings") {
            try pool.writeWithoutTransaction { db in
                Settings(
                    journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                    synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1,
                    foreignKeys: try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false,
                    appliedMigrations: try Self.migrator.appliedIdentifiers(db))
            }
        }
    }

    /// Connection settings as SQLite reports them.
    public struct Settings: Sendable, Equatable {
        /// `wal` for this store.
        public var journalMode: String
        /// 2 means FULL.
        public var synchronous: Int
        /// Whether foreign key constraints are enforced.
        public var foreignKeys: Bool
        /// Identifiers of the migrations recorded in the file, in order.
        public var appliedMigrations: [String]
    }

    /// Copies the WAL into the main file and truncates it (for backups).
    public func checkpointWAL() throws {
        try StoreError.wrap("wal checkpoint") {
            try pool.writeWithoutTransaction { db in
                try db.checkpoint(.truncate)
            }
        }
    }
}
