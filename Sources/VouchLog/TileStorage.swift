/// Read access to the stored hash tiles of a log.
///
/// The store implements this over its tile table; ``MemoryTileStorage``
/// implements it in memory. Tiles are append-only: a partial tile is replaced
/// by a wider one as the tree grows, and a reader may see a tile wider than
/// the tree size it works with. Readers never need more than the prefix the
/// tree size implies, so serving the newest version of each tile is correct.
public protocol TileStorage {
    /// The hashes currently stored for a tile: 256 for a full tile, fewer for
    /// a partial one, `nil` if the tile has never been written.
    ///
    /// - Parameters:
    ///   - level: The tile level, 0 for leaf hashes.
    ///   - index: The tile's position within its level.
    /// - Throws: Whatever the storage throws when it cannot read.
    func readTile(level: Int, index: Int) throws -> [[UInt8]]?
}

extension TileStorage {
    /// Reads the first `width` hashes of a tile, checking they exist and are 32 bytes.
    ///
    /// - Throws: `LogError.missingTile` if the tile is absent or narrower,
    ///   `LogError.corruptTile` if a hash has the wrong length.
    func readHashes(level: Int, index: Int, width: Int) throws -> ArraySlice<[UInt8]> {
        guard let hashes = try readTile(level: level, index: index), hashes.count >= width else {
            throw LogError(.missingTile, "tile \(level)/\(index) has fewer than \(width) hashes")
        }
        let prefix = hashes.prefix(width)
        guard prefix.allSatisfy(MerkleProof.isHash) else {
            throw LogError(.corruptTile, "tile \(level)/\(index) holds a hash that is not 32 bytes")
        }
        return prefix
    }
}
