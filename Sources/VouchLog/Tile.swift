/// The hashes of one C2SP tlog-tiles hash tile.
///
/// A tile at level `L` and index `N` holds the hashes of consecutive complete
/// subtrees of height `8 * L`: level-0 tiles hold leaf hashes, level-1 tiles
/// the roots of 256-leaf subtrees, and so on. Hash `i` of the tile is the
/// subtree with index `N * 256 + i` at tree level `8 * L`. The intermediate
/// levels inside a tile are not stored; they are recomputed when needed.
public struct Tile: Hashable, Sendable {
    /// The tile level (tree level `8 * level`).
    public let level: Int
    /// The tile's position within its level.
    public let index: Int
    /// The hashes, 1...256 of them, 32 bytes each.
    public let hashes: [[UInt8]]

    /// Creates a tile from its hashes.
    ///
    /// - Throws: `LogError.corruptTile` unless there are 1...256 hashes of 32
    ///   bytes; `LogError.malformedTilePath` for a bad level or index.
    public init(level: Int, index: Int, hashes: [[UInt8]]) throws(LogError) {
        guard (1...TilePath.fullWidth).contains(hashes.count), hashes.allSatisfy(MerkleProof.isHash) else {
            throw LogError(.corruptTile, "a tile holds 1...256 hashes of 32 bytes")
        }
        _ = try TilePath(level: level, index: index, width: hashes.count)
        self.init(unchecked: level, index, hashes)
    }

    /// Creates a tile from its served form, the hashes concatenated.
    ///
    /// - Throws: `LogError.corruptTile` unless `data` is 1...256 hashes.
    public init(level: Int, index: Int, data: [UInt8]) throws(LogError) {
        guard !data.isEmpty, data.count % MerkleHash.length == 0 else {
            throw LogError(.corruptTile, "tile data must be a whole number of 32-byte hashes")
        }
        let hashes = stride(from: 0, to: data.count, by: MerkleHash.length).map {
            Array(data[$0..<$0 + MerkleHash.length])
        }
        try self.init(level: level, index: index, hashes: hashes)
    }

    init(unchecked level: Int, _ index: Int, _ hashes: [[UInt8]]) {
        self.level = level
        self.index = index
        self.hashes = hashes
    }

    /// The number of hashes: 256 for a full tile.
    public var width: Int { hashes.count }

    /// Whether the tile has fewer than 256 hashes.
    public var isPartial: Bool { width < TilePath.fullWidth }

    /// The tile's tlog-tiles path, e.g. `tile/0/001.p/5`.
    public var path: TilePath {
        // The initializers checked level, index and width.
        try! TilePath(level: level, index: index, width: width)
    }

    /// The served form (`application/octet-stream`): the hashes concatenated.
    public var data: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(hashes.count * MerkleHash.length)
        for hash in hashes {
            out.append(contentsOf: hash)
        }
        return out
    }
}
