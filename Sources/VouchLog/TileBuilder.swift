/// Computes the tiles that change when leaves are appended to a tiled log.
///
/// Appending `k` leaves to a tree of `n` touches only the right edge of each
/// level: the partial tile it ends in (read once) and the tiles the new
/// hashes fill. The cost is O(k) hashing plus one partial-tile read per level,
/// never a walk over the existing tree. A level-`L+1` hash appears only when
/// a level-`L` tile becomes full, exactly as tlog-tiles defines, so partial
/// tiles never hold hashes of incomplete subtrees.
///
/// The store calls this inside the transaction that appends the entries and
/// writes every returned tile (full and partial, replacing narrower versions)
/// in that same transaction.
public enum TileBuilder {
    /// The tiles to write after appending leaves.
    ///
    /// - Parameters:
    ///   - leafHashes: The new leaves' hashes (``MerkleHash/leaf(_:)``), in order.
    ///   - treeSize: The tree size before the append; the storage must hold
    ///     its tiles.
    ///   - storage: The log's current tiles.
    /// - Returns: Every tile whose contents change, lowest level first; each
    ///   holds all its hashes (not only the new ones).
    /// - Throws: `LogError.invalidArgument` for a negative size or a hash that
    ///   is not 32 bytes, `LogError.missingTile`/`.corruptTile` if the
    ///   storage lacks the partial tiles at the right edge, and whatever the
    ///   storage throws.
    public static func tiles(
        appending leafHashes: [[UInt8]], toTreeOfSize treeSize: Int, reading storage: some TileStorage
    ) throws -> [Tile] {
        guard treeSize >= 0, treeSize <= Int.max - leafHashes.count else {
            throw LogError(.invalidArgument, "tree size out of range")
        }
        guard leafHashes.allSatisfy(MerkleProof.isHash) else {
            throw LogError(.invalidArgument, "leaf hashes must be 32 bytes")
        }
        return try build(appending: leafHashes, toTreeOfSize: treeSize) { level, index, width in
            try storage.readHashes(level: level, index: index, width: width)
        }
    }

    /// The builder proper, reading partial tiles through `existing`.
    static func build(
        appending leafHashes: [[UInt8]], toTreeOfSize treeSize: Int,
        existing: (_ level: Int, _ index: Int, _ width: Int) throws -> ArraySlice<[UInt8]>
    ) rethrows -> [Tile] {
        let full = TilePath.fullWidth
        var hasher = MerkleHasher()
        var result: [Tile] = []
        var newHashes = leafHashes
        // The number of hashes this level held before the append.
        var oldCount = treeSize
        var level = 0
        while !newHashes.isEmpty {
            var tileIndex = oldCount / full
            var current: [[UInt8]] = []
            current.reserveCapacity(full)
            let kept = oldCount % full
            if kept > 0 {
                current.append(contentsOf: try existing(level, tileIndex, kept))
            }
            var completed: [[UInt8]] = []
            completed.reserveCapacity(newHashes.count / full + 1)
            for hash in newHashes {
                current.append(hash)
                if current.count == full {
                    completed.append(hasher.perfectRoot(current[...]))
                    result.append(Tile(unchecked: level, tileIndex, current))
                    current.removeAll(keepingCapacity: true)
                    tileIndex += 1
                }
            }
            if !current.isEmpty {
                result.append(Tile(unchecked: level, tileIndex, current))
            }
            newHashes = completed
            oldCount /= full
            level += 1
        }
        return result
    }
}
