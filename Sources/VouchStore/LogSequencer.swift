internal import Foundation
internal import GRDB
internal import VouchLog

/// The writer's view of the log: its size, and the leaves appended in the
/// current transaction whose tiles are not written yet.
///
/// It holds no tree state beyond that: tiles are computed from the stored
/// right edge once per batch, and the root is read from the tiles, so after
/// a failed transaction the writer simply keeps its previous value.
struct LogSequencer: Sendable {
    /// The size including leaves appended in the open transaction.
    private(set) var size: Int
    /// The size whose tiles are stored.
    private var tiledSize: Int
    private var pendingLeaves: [[UInt8]] = []

    private init(size: Int) {
        self.size = size
        self.tiledSize = size
    }

    /// Reads the log's size and checks, in O(log n) reads, that entries,
    /// tiles and the latest checkpoint agree.
    ///
    /// A full recomputation is ``AuditLogReader/audit(with:)``'s job; this
    /// catches what would make the next append wrong: a missing right edge of
    /// the tiles, or tiles whose root is not the one the log last signed.
    static func load(_ db: Database) throws -> LogSequencer {
        let size = try storedSize(db)
        let latest = try Row.fetchOne(db, sql: "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1")
        let checkpointSize: Int = latest?["size"] ?? 0
        guard checkpointSize == size else {
            throw StoreError(
                code: .corrupt, reason: "latest checkpoint covers \(checkpointSize) entries, the log has \(size)")
        }
        if let latest {
            let note: String = latest["note"]
            let root = try StoreError.wrap("check tiles") {
                try TileHashReader(storage: SQLiteTileStorage(db)).treeHash(size: size)
            }
            guard try signedRoot(note) == root else {
                throw StoreError(code: .corrupt, reason: "the tiles' root differs from the latest checkpoint's")
            }
        }
        return LogSequencer(size: size)
    }

    /// The root hash in a signed checkpoint's body (the signature is the auditor's concern).
    private static func signedRoot(_ note: String) throws -> [UInt8] {
        guard let end = note.range(of: "\n\n") else {
            throw StoreError(code: .corrupt, reason: "stored checkpoint is not a signed note")
        }
        let body = String(note[..<end.lowerBound]) + "\n"
        do {
            return try Checkpoint(text: body).rootHash
        } catch {
            throw StoreError(code: .corrupt, reason: "stored checkpoint: \(error.reason)")
        }
    }

    /// Fails if another process appended to the log behind this writer's back.
    func checkStoredSize(_ db: Database) throws {
        let stored = try Self.storedSize(db)
        guard stored == size, pendingLeaves.isEmpty else {
            throw StoreError(
                code: .corrupt,
                reason: "the log has \(stored) entries but the writer expected \(size); is another writer running?")
        }
    }

    /// Inserts an entry at the next index.
    ///
    /// - Returns: The entry's index.
    mutating func append(_ entry: [UInt8], _ db: Database) throws -> Int {
        let index = size
        let leafHash = MerkleHash.leaf(entry)
        try db.cachedStatement(sql: "INSERT INTO log_entries (idx, entry, leaf_hash) VALUES (?, ?, ?)")
            .execute(arguments: [index, Data(entry), Data(leafHash)])
        pendingLeaves.append(leafHash)
        size += 1
        return index
    }

    /// Writes the tiles the pending leaves change.
    mutating func writeTiles(_ db: Database) throws {
        guard !pendingLeaves.isEmpty else { return }
        let storage = SQLiteTileStorage(db)
        let tiles = try StoreError.wrap("build tiles") {
            try TileBuilder.tiles(appending: pendingLeaves, toTreeOfSize: tiledSize, reading: storage)
        }
        try storage.write(tiles)
        pendingLeaves.removeAll()
        tiledSize = size
    }

    /// The tree root at ``size``, from the stored tiles.
    ///
    /// - Precondition: ``writeTiles(_:)`` ran since the last append.
    func root(_ db: Database) throws -> [UInt8] {
        try StoreError.wrap("tree hash") {
            try TileHashReader(storage: SQLiteTileStorage(db)).treeHash(size: tiledSize)
        }
    }

    static func storedSize(_ db: Database) throws -> Int {
        (try Int.fetchOne(db, sql: "SELECT MAX(idx) FROM log_entries")).map { $0 + 1 } ?? 0
    }
}
