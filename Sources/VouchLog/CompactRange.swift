/// The roots of the complete subtrees of a growing tree (a "compact range").
///
/// Appending a leaf merges equal-height subtrees like a binary counter
/// increments, so `n` appends cost `n - 1` node hashes in total and the state
/// never holds more than log2(n) + 1 hashes.
struct CompactRange {
    /// Subtree roots, largest (leftmost) first; heights strictly decrease.
    private(set) var hashes: [[UInt8]] = []
    /// The number of leaves appended.
    private(set) var size = 0
    private var hasher = MerkleHasher()

    /// Appends one leaf hash.
    ///
    /// - Parameter onComplete: Called with (level, index, hash) for every
    ///   complete subtree of height >= 1 that the append closes.
    mutating func append(_ leafHash: [UInt8], onComplete: (Int, Int, [UInt8]) -> Void) {
        var hash = leafHash
        var n = size
        var level = 0
        while n & 1 == 1 {
            hash = hasher.node(hashes.removeLast(), hash)
            n >>= 1
            level += 1
            onComplete(level, size >> level, hash)
        }
        hashes.append(hash)
        size += 1
    }

    /// Appends one leaf hash.
    mutating func append(_ leafHash: [UInt8]) {
        append(leafHash) { _, _, _ in }
    }

    /// The RFC 9162 root of the leaves appended so far.
    mutating func root() -> [UInt8] {
        guard var root = hashes.last else { return MerkleHash.emptyRoot }
        for hash in hashes.dropLast().reversed() {
            root = hasher.node(hash, root)
        }
        return root
    }
}
