/// Hash tiles kept in memory.
///
/// The real tile algorithms run on it unchanged: tests use it, and so can
/// batch jobs (verifying a downloaded log, benchmarks) that build a whole tree
/// at once. It stores what it is given; ``append(leafHashes:)`` keeps
/// ``treeSize`` and the tiles in step through ``TileBuilder``.
public struct MemoryTileStorage: TileStorage, Sendable, Equatable {
    private struct Key: Hashable, Sendable {
        let level: Int
        let index: Int
    }

    private var tiles: [Key: [[UInt8]]] = [:]

    /// The number of leaves appended through ``append(leafHashes:)``.
    public private(set) var treeSize = 0

    /// Creates empty storage.
    public init() {}

    /// Creates storage holding the tiles of a tree with the given leaves.
    ///
    /// - Parameter leafHashes: 32-byte leaf hashes in log order.
    /// - Throws: `LogError.invalidArgument` if a hash is not 32 bytes.
    public init(leafHashes: [[UInt8]]) throws(LogError) {
        try append(leafHashes: leafHashes)
    }

    public func readTile(level: Int, index: Int) -> [[UInt8]]? {
        tiles[Key(level: level, index: index)]
    }

    /// The number of tiles held, full and partial.
    public var tileCount: Int { tiles.count }

    /// Stores tiles, replacing any earlier (narrower) version of each.
    public mutating func write(_ newTiles: [Tile]) {
        for tile in newTiles {
            tiles[Key(level: tile.level, index: tile.index)] = tile.hashes
        }
    }

    /// Appends leaves to the tree and writes the tiles that change.
    ///
    /// - Parameter leafHashes: 32-byte leaf hashes in log order.
    /// - Throws: `LogError.invalidArgument` if a hash is not 32 bytes.
    public mutating func append(leafHashes: [[UInt8]]) throws(LogError) {
        let storage = self
        let changed: [Tile]
        do {
            changed = try TileBuilder.tiles(appending: leafHashes, toTreeOfSize: treeSize, reading: storage)
        } catch let error as LogError {
            throw error
        } catch {
            // Memory reads never throw; only the builder's own checks can fail.
            throw LogError(.invalidArgument, "\(error)")
        }
        write(changed)
        treeSize += leafHashes.count
    }
}
