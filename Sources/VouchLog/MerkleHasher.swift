internal import VouchCrypto

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
