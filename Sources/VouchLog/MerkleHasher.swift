internal import VouchCrypto

/// SHA-256 with the RFC 9162 prefixes, for the tree walks of this module.
///
/// It keeps one SHA-256 context for all the hashes of a walk (a proof, an
/// audit pass, a tile build): a fresh context per hash costs about a third
/// of hashing a log entry. The prefix byte is fed before the input, so the
/// input is never copied behind it. A copy of a hasher gets its own context
/// on first use, so copies never share hashing state.
struct MerkleHasher {
    private var sha = SHA256Hasher()

    init() {}

    mutating func leaf(_ entry: [UInt8]) -> [UInt8] {
        owned().hash(prefix: 0x00, entry)
    }

    mutating func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        owned().hash(prefix: 0x01, left, right)
    }

    private mutating func owned() -> SHA256Hasher {
        if !isKnownUniquelyReferenced(&sha) {
            sha = SHA256Hasher()
        }
        return sha
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
