public import Foundation
internal import GRDB
internal import PostgresNIO
public import VouchLog

/// A stored checkpoint: a C2SP tlog-checkpoint signed note and when it was made.
public struct StoredCheckpoint: Sendable, Hashable {
    /// The tree size it commits to.
    public let size: Int
    /// The signed note text, exactly as served at `/v1/log/checkpoint`.
    public let note: String
    /// When the writer signed it.
    public let createdAt: Date
}

/// One audit log entry as stored.
public struct StoredLogEntry: Sendable, Hashable {
    /// Its index in the log.
    public let index: Int
    /// The deterministic CBOR bytes (VouchLog `LogEntry`).
    public let entry: [UInt8]
    /// `SHA-256(0x00 || entry)` as recorded when it was appended.
    public let leafHash: [UInt8]
}

/// The read side of the audit log, for the HTTP layer and `vouch log verify`.
///
/// Reads run on GRDB's reader pool and never wait for the writer: WAL gives
/// each read a snapshot of the last commit. Each method is one snapshot; use
/// ``withTiles(_:)`` when a tree size and the proofs for it must agree.
public struct AuditLogReader: Sendable {
    /// The most entries one ``entries(in:)`` call returns.
    public static let maximumPageSize = 1000

    /// The store it reads.
    public let store: Store

    public init(database: VouchDatabase) {
        self.store = .sqlite(database)
    }

    /// A reader on either store; on PostgreSQL the tree size is the integrated one (tiles and checkpoint exist).
    public init(store: Store) {
        self.store = store
    }

    /// The PostgreSQL reader, or nil on SQLite.
    var postgres: PostgresLogReader? {
        if case .postgres(let database) = store { return PostgresLogReader(database: database) }
        return nil
    }

    /// The number of entries in the log.
    public func treeSize() async throws -> Int {
        if let postgres { return try await postgres.treeSize() }
        return try await read { db in try LogSequencer.storedSize(db) }
    }

    /// The newest checkpoint, or `nil` for an empty log.
    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        if let postgres {
            return try await postgres.checkpoints("SELECT size, note, created_at FROM checkpoints ORDER BY size DESC LIMIT 1").first
        }
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM checkpoints ORDER BY size DESC LIMIT 1").map(Self.checkpoint)
        }
    }

    /// The checkpoint for exactly `size`, if one was signed.
    public func checkpoint(size: Int) async throws -> StoredCheckpoint? {
        if let postgres {
            return try await postgres.checkpoints(
                "SELECT size, note, created_at FROM checkpoints WHERE size = \(Int64(size))").first
        }
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM checkpoints WHERE size = ?", arguments: [size])
                .map(Self.checkpoint)
        }
    }

    /// Checkpoints in increasing size, starting above `size`.
    ///
    /// - Parameters:
    ///   - size: Return only checkpoints larger than this (0 for all).
    ///   - limit: At most this many (clamped to ``maximumPageSize``).
    public func checkpoints(after size: Int = 0, limit: Int = maximumPageSize) async throws -> [StoredCheckpoint] {
        let limit = min(max(limit, 0), Self.maximumPageSize)
        if let postgres {
            return try await postgres.checkpoints("""
                SELECT size, note, created_at FROM checkpoints WHERE size > \(Int64(size)) ORDER BY size LIMIT \(Int64(limit))
                """)
        }
        return try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM checkpoints WHERE size > ? ORDER BY size LIMIT ?", arguments: [size, limit]
            ).map(Self.checkpoint)
        }
    }

    /// The entries with indices in `range` that exist, in order.
    ///
    /// - Throws: `StoreError.invalidInput` for a negative start or a range
    ///   longer than ``maximumPageSize``.
    public func entries(in range: Range<Int>) async throws -> [StoredLogEntry] {
        guard range.lowerBound >= 0, range.count <= Self.maximumPageSize else {
            throw StoreError(code: .invalidInput, reason: "entry range must start at 0 or later and hold at most \(Self.maximumPageSize)")
        }
        if let postgres { return try await postgres.entries(in: range) }
        return try await read { db in
            try Self.fetchEntries(db, range)
        }
    }

    /// The entries after `index` and below `size` that name the attestation whose token hashes to
    /// `tokenHash` (its `revoked`, `suspended` and `reinstated` entries), in order.
    ///
    /// `log_entries` has no token column, so the query walks the primary-key
    /// range after the `issued` entry and lets SQLite look for the 32 hash
    /// bytes inside each stored entry; only those candidates are decoded, and
    /// only entries whose `token` field is that hash are returned.
    ///
    /// - Parameters:
    ///   - tokenHash: SHA-256 of the attestation's COSE_Sign1 bytes.
    ///   - index: The attestation's `issued` entry; only later entries are returned.
    ///   - size: The tree size to stay within (e.g. the latest checkpoint's).
    public func laterEntries(tokenHash: [UInt8], after index: Int, below size: Int) async throws -> [StoredLogEntry] {
        guard tokenHash.count == MerkleHash.length else {
            throw StoreError(code: .invalidInput, reason: "a token hash is \(MerkleHash.length) bytes")
        }
        let candidates = if let postgres {
            try await postgres.entries("""
                SELECT idx, entry, leaf_hash FROM log_entries
                WHERE idx > \(Int64(index)) AND idx < \(Int64(size)) AND position(\(Data(tokenHash)) IN entry) > 0 ORDER BY idx
                """)
        } else {
            try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT idx, entry, leaf_hash FROM log_entries
                    WHERE idx > ? AND idx < ? AND instr(entry, ?) > 0 ORDER BY idx
                    """,
                arguments: [index, size, Data(tokenHash)]
            ).map(Self.entry)
        }
        }
        return candidates.filter { stored in (try? LogEntry(cbor: stored.entry))?.token == tokenHash }
    }

    /// The C2SP tlog-tiles entry bundle `tile/entries/<index>[.p/<width>]`.
    ///
    /// - Returns: `nil` if the log does not hold all `width` entries yet.
    public func entryBundle(index: Int, width: Int = TilePath.fullWidth) async throws -> [UInt8]? {
        guard index >= 0, (1...TilePath.fullWidth).contains(width), index <= Int.max / TilePath.fullWidth - 1 else {
            throw StoreError(code: .invalidInput, reason: "no entry bundle \(index) of width \(width)")
        }
        let start = index * TilePath.fullWidth
        let entries = if let postgres {
            try await postgres.entries(in: start..<start + width)
        } else {
            try await read { db in try Self.fetchEntries(db, start..<start + width) }
        }
        guard entries.count == width else { return nil }
        return try StoreError.wrap("entry bundle") { try EntryBundle.encode(entries.map(\.entry)) }
    }

    /// The served bytes of hash tile `tile/<level>/<index>[.p/<width>]`.
    ///
    /// The stored tile may be wider than asked (it grew since); the first
    /// `width` hashes are what that path always denotes.
    ///
    /// - Returns: `nil` if the tile does not have `width` hashes yet.
    public func tile(level: Int, index: Int, width: Int = TilePath.fullWidth) async throws -> [UInt8]? {
        guard level >= 0, index >= 0, (1...TilePath.fullWidth).contains(width) else {
            throw StoreError(code: .invalidInput, reason: "no tile \(level)/\(index) of width \(width)")
        }
        let data = if let postgres {
            try await postgres.tileData(level: level, index: index)
        } else {
            try await read { db in try SQLiteTileStorage(db).readTileData(level: level, index: index) }
        }
        let length = width * MerkleHash.length
        guard let data, data.count >= length else { return nil }
        return Array(data.prefix(length))
    }

    /// Runs `body` with the log's tiles and its size, both from one snapshot.
    ///
    /// Proofs and roots computed inside agree with the size passed in, even
    /// if the writer commits meanwhile.
    public func withTiles<T: Sendable>(
        _ body: @escaping @Sendable (_ tiles: StoreTileStorage, _ treeSize: Int) throws -> T
    ) async throws -> T {
        if let postgres { return try await postgres.withTiles(body) }
        return try await read { db in
            try body(StoreTileStorage(base: SQLiteTileStorage(db)), try LogSequencer.storedSize(db))
        }
    }

    /// The root hash of the first `size` entries, from the tiles.
    ///
    /// - Throws: `StoreError.invalidInput` if the log is smaller than `size`.
    public func treeHash(size: Int) async throws -> [UInt8] {
        try await withTiles { tiles, treeSize in
            try Self.check(size: size, within: treeSize)
            return try TileHashReader(storage: tiles).treeHash(size: size)
        }
    }

    /// The RFC 9162 inclusion proof of entry `index` in the tree of `size`.
    ///
    /// - Throws: `StoreError.invalidInput` unless `0 <= index < size <= treeSize`.
    public func inclusionProof(index: Int, size: Int) async throws -> [[UInt8]] {
        try await withTiles { tiles, treeSize in
            try Self.check(size: size, within: treeSize)
            guard index >= 0, index < size else {
                throw StoreError(code: .invalidInput, reason: "index \(index) is not in a tree of size \(size)")
            }
            return try TileHashReader(storage: tiles).inclusionProof(index: index, size: size)
        }
    }

    /// The RFC 9162 consistency proof from `from` to `to`.
    ///
    /// - Throws: `StoreError.invalidInput` unless `0 <= from <= to <= treeSize`.
    public func consistencyProof(from: Int, to: Int) async throws -> [[UInt8]] {
        try await withTiles { tiles, treeSize in
            try Self.check(size: to, within: treeSize)
            guard from >= 0, from <= to else {
                throw StoreError(code: .invalidInput, reason: "no consistency proof from \(from) to \(to)")
            }
            return try TileHashReader(storage: tiles).consistencyProof(from: from, to: to)
        }
    }

    /// Visits every entry in index order, streaming (for `vouch log verify`).
    ///
    /// - Parameter body: Called once per entry; throw to stop.
    public func forEachEntry(_ body: (StoredLogEntry) throws -> Void) throws {
        let database = try sqlite("scan log")
        try StoreError.wrap("scan log") {
            try database.pool.read { db in
                let rows = try Row.fetchCursor(db, sql: "SELECT idx, entry, leaf_hash FROM log_entries ORDER BY idx")
                while let row = try rows.next() {
                    try body(Self.entry(row))
                }
            }
        }
    }

    // MARK: Helpers

    /// The SQLite database; a synchronous call on PostgreSQL is a programming error reported as such.
    func sqlite(_ context: String) throws -> VouchDatabase {
        guard case .sqlite(let database) = store else {
            throw StoreError(code: .invalidInput, reason: "\(context): synchronous reads exist on SQLite only; use the async call")
        }
        return database
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let database = try sqlite("read log")
        return try await StoreError.wrap("read log") {
            try await database.pool.read(body)
        }
    }

    static func fetchEntries(_ db: Database, _ range: Range<Int>) throws -> [StoredLogEntry] {
        try Row.fetchAll(
            db, sql: "SELECT idx, entry, leaf_hash FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx",
            arguments: [range.lowerBound, range.upperBound]
        ).map(entry)
    }

    static func entry(_ row: Row) -> StoredLogEntry {
        StoredLogEntry(
            index: row["idx"], entry: [UInt8](row["entry"] as Data), leafHash: [UInt8](row["leaf_hash"] as Data))
    }

    private static func checkpoint(_ row: Row) -> StoredCheckpoint {
        StoredCheckpoint(size: row["size"], note: row["note"], createdAt: Date(unixSeconds: row["created_at"]))
    }

    private static func check(size: Int, within treeSize: Int) throws {
        guard size >= 0, size <= treeSize else {
            throw StoreError(code: .invalidInput, reason: "tree size \(size) is beyond the log's \(treeSize)")
        }
    }
}
