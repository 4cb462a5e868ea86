internal import Foundation
internal import NIOCore
internal import PostgresNIO
public import VouchLog

/// Tile reads for the synchronous tile code (``TileBuilder``, ``TileHashReader``) over PostgreSQL.
///
/// The tile code reads tiles one at a time and cannot await. So it runs
/// against tiles held in memory; the tiles it asked for and that were not
/// there are fetched in one query, and it runs again, until it needs nothing
/// new (a few rounds: it touches O(log n) tiles). Tiles that do not exist are
/// remembered as absent, so a genuinely missing tile ends the loop with the
/// tile code's own error.
final class PostgresTiles: TileStorage {
    struct Key: Hashable {
        let level: Int
        let index: Int
    }

    private var known: [Key: [[UInt8]]] = [:]
    private var absent: Set<Key> = []
    private var missing: Set<Key> = []

    func readTile(level: Int, index: Int) throws -> [[UInt8]]? {
        let key = Key(level: level, index: index)
        if let hashes = known[key] { return hashes }
        if !absent.contains(key) { missing.insert(key) }
        return nil
    }

    /// Adds tiles written in this transaction (they win over what the database holds).
    func store(_ tiles: [Tile]) {
        for tile in tiles {
            known[Key(level: tile.level, index: tile.index)] = tile.hashes
        }
    }

    /// Runs `body` until it succeeds or fails without asking for a tile not yet fetched.
    func run<T>(_ connection: PostgresConnection, _ body: (PostgresTiles) throws -> T) async throws -> T {
        for _ in 0..<64 {
            missing = []
            do {
                return try body(self)
            } catch {
                guard !missing.isEmpty else { throw error }
                try await fetch(missing, connection)
            }
        }
        throw StoreError(code: .corrupt, reason: "tile reads did not settle")
    }

    private func fetch(_ keys: Set<Key>, _ connection: PostgresConnection) async throws {
        let levels = keys.map { Int32($0.level) }, indices = keys.map { Int64($0.index) }
        let rows = try await connection.rows("""
            SELECT t.level, t.idx, t.hashes FROM log_tiles t
            JOIN unnest(\(levels)::integer[], \(indices)::bigint[]) AS k(level, idx) ON t.level = k.level AND t.idx = k.idx
            """)
        var found: Set<Key> = []
        for row in rows {
            let (level, index, data) = try row.decode((Int32, Int64, Data).self)
            guard data.count % MerkleHash.length == 0 else {
                throw StoreError(code: .corrupt, reason: "tile \(level)/\(index) is not a whole number of hashes")
            }
            let bytes = [UInt8](data)
            let key = Key(level: Int(level), index: Int(index))
            known[key] = stride(from: 0, to: bytes.count, by: MerkleHash.length).map {
                Array(bytes[$0..<$0 + MerkleHash.length])
            }
            found.insert(key)
        }
        absent.formUnion(keys.subtracting(found))
    }

    /// Every tile, for a full audit (memory grows with the log: ~32 bytes per entry).
    static func all(_ connection: PostgresConnection) async throws -> MemoryTileStorage {
        var storage = MemoryTileStorage()
        var tiles: [Tile] = []
        for row in try await connection.rows("SELECT level, idx, hashes FROM log_tiles") {
            let (level, index, data) = try row.decode((Int32, Int64, Data).self)
            let bytes = [UInt8](data)
            guard bytes.count % MerkleHash.length == 0 else {
                throw StoreError(code: .corrupt, reason: "tile \(level)/\(index) is not a whole number of hashes")
            }
            let hashes = stride(from: 0, to: bytes.count, by: MerkleHash.length).map {
                Array(bytes[$0..<$0 + MerkleHash.length])
            }
            tiles.append(try StoreError.wrap("read tile") { try Tile(level: Int(level), index: Int(index), hashes: hashes) })
        }
        storage.write(tiles)
        return storage
    }

    /// Upserts tiles (a partial tile is replaced by its wider successor).
    static func write(_ tiles: [Tile], _ connection: PostgresConnection) async throws {
        guard !tiles.isEmpty else { return }
        let levels = tiles.map { Int32($0.level) }, indices = tiles.map { Int64($0.index) }
        let data = tiles.map { ByteBuffer($0.data) }
        try await connection.run("""
            INSERT INTO log_tiles (level, idx, hashes)
            SELECT * FROM unnest(\(levels)::integer[], \(indices)::bigint[], \(data)::bytea[])
            ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes
            """)
    }
}
