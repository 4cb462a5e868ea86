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
        // The prefix byte is fed to SHA-256 first; the entry is never copied.
        Digest.sha256(prefix: 0x00, entry)
    }

    /// Hashes many entries (e.g. a batch being appended).
    ///
    /// - Returns: ``leaf(_:)`` of each entry, in order.
    public static func leaves(_ entries: [[UInt8]]) -> [[UInt8]] {
        entries.map(leaf)
    }

    /// Hashes two child hashes: `SHA-256(0x01 || left || right)`.
    ///
    /// - Returns: 32 bytes.
    public static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        Digest.sha256(prefix: 0x01, left, right)
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
