/// Tree hashes and RFC 9162 proofs computed from stored tiles.
///
/// The model is Go's `golang.org/x/mod/sumdb/tlog` (`TreeHash`,
/// `ProveRecord`, `ProveTree` over a `TileHashReader`): any hash the tree
/// needs is the root of a complete subtree, which is either stored in a tile
/// or recomputed from at most 128 consecutive hashes of one tile. A root or a
/// proof therefore reads O(log n) tiles and hashes at most a few hundred
/// nodes per tile level, whatever the tree size.
///
/// Each call reads the tiles it needs once and forgets them afterwards:
/// nothing is cached across calls, so a reader over a live store always sees
/// its current tiles. The storage must hold the tiles for every size asked
/// about; a missing tile is an error, not a silent wrong answer.
public struct TileHashReader<Storage: TileStorage> {
    /// The tiles read.
    public let storage: Storage

    /// Creates a reader over a log's tiles.
    public init(storage: Storage) {
        self.storage = storage
    }

    /// The root of the complete subtree of `2^level` leaves starting at leaf
    /// `index << level`, e.g. level 0 gives the leaf hash of entry `index`.
    ///
    /// - Throws: `LogError.invalidArgument` for a negative index or a subtree
    ///   beyond `Int`; `LogError.missingTile` if the tiles do not reach it.
    public func hash(level: Int, index: Int) throws -> [UInt8] {
        guard (0..<Int.bitWidth - 1).contains(level), index >= 0, index < (Int.max >> level) else {
            throw LogError(.invalidArgument, "no subtree at level \(level), index \(index)")
        }
        var session = Session(storage: storage)
        return try session.hash(level: level, index: index)
    }

    /// The root hash of the tree's first `size` leaves (RFC 9162 `MTH`).
    ///
    /// - Returns: ``MerkleHash/emptyRoot`` for size 0.
    /// - Throws: `LogError.invalidArgument` for a negative size,
    ///   `LogError.missingTile` if the storage holds fewer leaves.
    public func treeHash(size: Int) throws -> [UInt8] {
        guard size >= 0 else { throw LogError(.invalidArgument, "tree size must not be negative") }
        var session = Session(storage: storage)
        return try session.rangeHash(0, size)
    }

    /// The RFC 9162 inclusion proof (audit path) of leaf `index` in the tree
    /// of `size` leaves, sibling nearest the leaf first.
    ///
    /// - Throws: `LogError.invalidArgument` unless `0 <= index < size`,
    ///   `LogError.missingTile` if the storage holds fewer than `size` leaves.
    public func inclusionProof(index: Int, size: Int) throws -> [[UInt8]] {
        guard index >= 0, index < size else {
            throw LogError(.invalidArgument, "leaf index \(index) is not in a tree of size \(size)")
        }
        var session = Session(storage: storage)
        var proof: [[UInt8]] = []
        try session.inclusionPath(index, 0, size, into: &proof)
        return proof
    }

    /// The RFC 9162 consistency proof between tree sizes `from` and `to`.
    ///
    /// - Returns: An empty proof when `from` is 0 or equal to `to`.
    /// - Throws: `LogError.invalidArgument` unless `0 <= from <= to`,
    ///   `LogError.missingTile` if the storage holds fewer than `to` leaves.
    public func consistencyProof(from: Int, to: Int) throws -> [[UInt8]] {
        guard from >= 0, from <= to else {
            throw LogError(.invalidArgument, "no consistency proof from size \(from) to size \(to)")
        }
        var proof: [[UInt8]] = []
        if from == 0 || from == to { return proof }
        var session = Session(storage: storage)
        try session.subproof(from, 0, to, complete: true, into: &proof)
        return proof
    }
}

extension TileHashReader: Sendable where Storage: Sendable {}

// MARK: - One call's work

extension TileHashReader {
    /// The tiles one call has read, so that a proof reads each tile once.
    private struct Session {
        let storage: Storage
        var tiles: [TileKey: [[UInt8]]] = [:]
        var hasher = MerkleHasher()

        init(storage: Storage) {
            self.storage = storage
        }

        struct TileKey: Hashable {
            let level: Int
            let index: Int
        }

        mutating func hash(level: Int, index: Int) throws -> [UInt8] {
            let height = TilePath.height
            let tileLevel = level / height
            let levelsInside = level % height
            // The subtree's bottom row at the tile's level: 2^levelsInside hashes.
            let first = index << levelsInside
            let count = 1 << levelsInside
            let tileIndex = first / TilePath.fullWidth
            let offset = first % TilePath.fullWidth
            let key = TileKey(level: tileLevel, index: tileIndex)
            let tile: [[UInt8]]
            if let cached = tiles[key] {
                tile = cached
            } else {
                guard let read = try storage.readTile(level: tileLevel, index: tileIndex) else {
                    throw LogError(.missingTile, "tile \(tileLevel)/\(tileIndex) is not stored")
                }
                tile = read
                tiles[key] = read
            }
            guard tile.count >= offset + count else {
                throw LogError(.missingTile, "tile \(tileLevel)/\(tileIndex) has \(tile.count) hashes, need \(offset + count)")
            }
            let row = tile[offset..<offset + count]
            guard row.allSatisfy(MerkleProof.isHash) else {
                throw LogError(.corruptTile, "tile \(tileLevel)/\(tileIndex) holds a hash that is not 32 bytes")
            }
            return hasher.perfectRoot(row)
        }

        /// `MTH(D[lo:hi])` for a range that starts on a boundary of its size,
        /// as every range in RFC 9162's recursions does.
        mutating func rangeHash(_ lo: Int, _ hi: Int) throws -> [UInt8] {
            if lo == hi { return MerkleHash.emptyRoot }
            var parts: [[UInt8]] = []
            var start = lo
            while start < hi {
                let level = Int.bitWidth - 1 - (hi - start).leadingZeroBitCount
                precondition(start & ((1 << level) - 1) == 0, "unaligned subtree range")
                parts.append(try hash(level: level, index: start >> level))
                start += 1 << level
            }
            var root = parts.removeLast()
            while let left = parts.popLast() {
                root = hasher.node(left, root)
            }
            return root
        }

        /// RFC 9162 §2.1.3.1 `PATH(m, D[lo:hi])`.
        mutating func inclusionPath(_ m: Int, _ lo: Int, _ hi: Int, into proof: inout [[UInt8]]) throws {
            if hi - lo == 1 { return }
            let k = largestPowerOfTwo(below: hi - lo)
            if m < lo + k {
                try inclusionPath(m, lo, lo + k, into: &proof)
                proof.append(try rangeHash(lo + k, hi))
            } else {
                try inclusionPath(m, lo + k, hi, into: &proof)
                proof.append(try rangeHash(lo, lo + k))
            }
        }

        /// RFC 9162 §2.1.4.1 `SUBPROOF(m, D[lo:hi], b)`, with `m` counted from `lo`.
        mutating func subproof(_ m: Int, _ lo: Int, _ hi: Int, complete: Bool, into proof: inout [[UInt8]]) throws {
            if m == hi - lo {
                if !complete { proof.append(try rangeHash(lo, hi)) }
                return
            }
            let k = largestPowerOfTwo(below: hi - lo)
            if m <= k {
                try subproof(m, lo, lo + k, complete: complete, into: &proof)
                proof.append(try rangeHash(lo + k, hi))
            } else {
                try subproof(m - k, lo + k, hi, complete: false, into: &proof)
                proof.append(try rangeHash(lo, lo + k))
            }
        }
    }
}

/// The largest power of two strictly less than `n` (RFC 9162's split point).
///
/// - Precondition: `n >= 2`.
func largestPowerOfTwo(below n: Int) -> Int {
    1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
}
