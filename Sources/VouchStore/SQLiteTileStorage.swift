public import VouchLog
internal import Foundation
internal import GRDB

/// VouchLog's ``TileStorage`` over the `log_tiles` table.
///
/// A value is bound to one database access (see
/// ``AuditLogReader/withTiles(_:)``), so every tile it reads comes from the
/// same snapshot, consistent with the tree size read in that access. A proof
/// reads O(log n) tiles, each one primary-key lookup.
public struct SQLiteTileStorage: TileStorage {
    private let db: Database

    init(_ db: Database) {
        self.db = db
    }

    public func readTile(level: Int, index: Int) throws -> [[UInt8]]? {
        guard let data = try Data.fetchOne(
            db, sql: "SELECT hashes FROM log_tiles WHERE level = ? AND idx = ?", arguments: [level, index])
        else { return nil }
        guard data.count % MerkleHash.length == 0 else {
            throw StoreError(code: .corrupt, reason: "tile \(level)/\(index) is not a whole number of hashes")
        }
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: MerkleHash.length).map {
            Array(bytes[$0..<$0 + MerkleHash.length])
        }
    }

    /// The stored bytes of a tile, or `nil` if it was never written.
    func readTileData(level: Int, index: Int) throws -> [UInt8]? {
        try Data.fetchOne(
            db, sql: "SELECT hashes FROM log_tiles WHERE level = ? AND idx = ?", arguments: [level, index]
        ).map { [UInt8]($0) }
    }

    /// Stores tiles, each replacing its narrower earlier version.
    func write(_ tiles: [Tile]) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO log_tiles (level, idx, hashes) VALUES (?, ?, ?)
            ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes
            """)
        for tile in tiles {
            try statement.execute(arguments: [tile.level, tile.index, Data(tile.data)])
        }
    }
}

/// The tiles ``AuditLogReader/withTiles(_:)`` hands out, whichever store they come from.
///
/// A concrete type (the tile code is generic over its storage, and an
/// existential cannot stand in for one), wrapping SQLite's snapshot reads or
/// PostgreSQL's fetched tiles.
public struct StoreTileStorage: TileStorage {
    let base: any TileStorage

    public func readTile(level: Int, index: Int) throws -> [[UInt8]]? {
        try base.readTile(level: level, index: index)
    }
}
