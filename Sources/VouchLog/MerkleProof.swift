/// Verification of RFC 9162 inclusion and consistency proofs.
///
/// Both checks return a verdict rather than throwing: a wrong proof is a
/// normal answer. Every hash must be exactly 32 bytes; anything else fails.
public enum MerkleProof {
    /// Checks that a leaf is in a tree (RFC 9162 §2.1.3.2).
    ///
    /// - Parameters:
    ///   - leafHash: ``MerkleHash/leaf(_:)`` of the entry.
    ///   - index: The leaf's zero-based position.
    ///   - size: The tree size the proof was made for.
    ///   - proof: The inclusion path, sibling nearest the leaf first.
    ///   - root: The tree's root at `size`, e.g. from a verified checkpoint.
    /// - Returns: `true` only if the path leads from the leaf to `root`.
    public static func verifyInclusion(
        leafHash: [UInt8], index: Int, size: Int, proof: [[UInt8]], root: [UInt8]
    ) -> Bool {
        guard index >= 0, index < size, isHash(leafHash), isHash(root), proof.allSatisfy(isHash) else {
            return false
        }
        var hasher = MerkleHasher()
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = hasher.node(p, r)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                r = hasher.node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Checks that a tree of size `from` is a prefix of a tree of size `to`
    /// (RFC 9162 §2.1.4.2).
    ///
    /// Equal sizes need an empty proof and equal roots. Size 0 is a prefix of
    /// every tree, with an empty proof, but only if `oldRoot` is really the
    /// empty root: a caller that holds some other hash for size 0 is confused.
    ///
    /// - Parameters:
    ///   - from: The older tree size.
    ///   - to: The newer tree size.
    ///   - oldRoot: The root at `from`.
    ///   - newRoot: The root at `to`.
    ///   - proof: The consistency proof, as ``TileHashReader/consistencyProof(from:to:)`` makes it.
    /// - Returns: `true` only if both roots are proven.
    public static func verifyConsistency(
        from: Int, to: Int, oldRoot: [UInt8], newRoot: [UInt8], proof: [[UInt8]]
    ) -> Bool {
        guard from >= 0, from <= to, isHash(oldRoot), isHash(newRoot), proof.allSatisfy(isHash) else {
            return false
        }
        if from == 0 { return proof.isEmpty && oldRoot == MerkleHash.emptyRoot }
        if from == to { return proof.isEmpty && oldRoot == newRoot }
        guard !proof.isEmpty else { return false }

        var path = proof[...]
        // A power-of-two old tree is a complete subtree of the new one, so its
        // root is the first node of the path and the proof omits it.
        if from & (from - 1) == 0 {
            path = [oldRoot] + path
        }
        var hasher = MerkleHasher()
        var fn = from - 1
        var sn = to - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[path.startIndex]
        var sr = fr
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = hasher.node(c, fr)
                sr = hasher.node(c, sr)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                sr = hasher.node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && fr == oldRoot && sr == newRoot
    }

    static func isHash(_ bytes: [UInt8]) -> Bool {
        bytes.count == MerkleHash.length
    }
}
