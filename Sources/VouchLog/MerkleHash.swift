internal import VouchCrypto

/// RFC 9162 §2.1 Merkle tree hashing over SHA-256.
///
/// Leaves and interior nodes are hashed with different one-byte prefixes
/// (`0x00` and `0x01`) so that a leaf can never be passed off as a node. The
/// root of `n` leaves splits at the largest power of two smaller than `n`, as
/// the RFC's `MTH` does; every tree size has exactly one root.
public enum MerkleHash {
    /// The length of every hash in the tree.
    public static let length = 32

    /// The root of the empty tree, `SHA-256("")`.
    public static let emptyRoot: [UInt8] = Digest.sha256([])

    /// Hashes one log entry: `SHA-256(0x00 || entry)`.
    ///
    /// - Parameter entry: The entry bytes as stored in the log.
    /// - Returns: 32 bytes.
    public static func leaf(_ entry: [UInt8]) -> [UInt8] {
        // One exact-size buffer: VouchCrypto hashes whole arrays only.
        var input: [UInt8] = []
        input.reserveCapacity(1 + entry.count)
        input.append(0x00)
        input.append(contentsOf: entry)
        return Digest.sha256(input)
    }

    /// Hashes many entries, reusing one buffer (e.g. a batch being appended).
    ///
    /// - Returns: ``leaf(_:)`` of each entry, in order.
    public static func leaves(_ entries: [[UInt8]]) -> [[UInt8]] {
        var hasher = MerkleHasher()
        return entries.map { hasher.leaf($0) }
    }

    /// Hashes two child hashes: `SHA-256(0x01 || left || right)`.
    ///
    /// - Returns: 32 bytes.
    public static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var input: [UInt8] = []
        input.reserveCapacity(1 + left.count + right.count)
        input.append(0x01)
        input.append(contentsOf: left)
        input.append(contentsOf: right)
        return Digest.sha256(input)
    }

    /// The root of a tree whose leaves have the given hashes (RFC 9162 `MTH`).
    ///
    /// Runs in one pass with O(log n) memory: complete subtrees are merged as
    /// soon as they form, and the remaining ones are folded from the right.
    ///
    /// - Parameter leafHashes: The leaf hashes, in log order.
    /// - Returns: 32 bytes; ``emptyRoot`` for no leaves.
    public static func root(leafHashes: [[UInt8]]) -> [UInt8] {
        var range = CompactRange()
        for hash in leafHashes {
            range.append(hash)
        }
        return range.root()
    }
}

/// SHA-256 with the RFC 9162 prefixes, reusing one input buffer.
///
/// `Digest.sha256` takes a whole array, so the prefix byte and the input have
/// to be contiguous; keeping one scratch buffer per hasher turns that into a
/// copy into warm memory instead of an allocation per hash.
struct MerkleHasher {
    private var scratch: [UInt8] = []

    init() {
        scratch.reserveCapacity(1 + 2 * MerkleHash.length)
    }

    mutating func leaf(_ entry: [UInt8]) -> [UInt8] {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(0x00)
        scratch.append(contentsOf: entry)
        return Digest.sha256(scratch)
    }

    mutating func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(0x01)
        scratch.append(contentsOf: left)
        scratch.append(contentsOf: right)
        return Digest.sha256(scratch)
    }

    /// The root of a perfect subtree whose bottom row is `hashes`.
    ///
    /// - Precondition: `hashes.count` is a power of two.
    mutating func perfectRoot(_ hashes: ArraySlice<[UInt8]>) -> [UInt8] {
        if hashes.count == 1 { return hashes[hashes.startIndex] }
        var row: [[UInt8]] = []
        row.reserveCapacity(hashes.count / 2)
        var i = hashes.startIndex
        while i < hashes.endIndex {
            row.append(node(hashes[i], hashes[i + 1]))
            i += 2
        }
        while row.count > 1 {
            for j in 0..<row.count / 2 {
                row[j] = node(row[2 * j], row[2 * j + 1])
            }
            row.removeLast(row.count / 2)
        }
        return row[0]
    }
}

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
