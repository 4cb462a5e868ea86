internal import VouchCrypto

/// SHA-256 with the RFC 9162 prefixes, for the tree walks of this module.
///
/// It once kept a scratch buffer so the prefix byte and the input were
/// contiguous; `Digest.sha256(prefix:_:)` now feeds them to SHA-256 in parts,
/// so it holds no state and only keeps the call sites' shape. (Keeping one
/// OpenSSL digest context per walk instead of one per hash was measured at
/// about 10% per hash and no gain on an audit pass, so it is not done.)
struct MerkleHasher {
    init() {}

    mutating func leaf(_ entry: [UInt8]) -> [UInt8] {
        Digest.sha256(prefix: 0x00, entry)
    }

    mutating func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        Digest.sha256(prefix: 0x01, left, right)
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
