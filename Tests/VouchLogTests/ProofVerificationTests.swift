import Testing
import VouchCore
import VouchLog

/// Every kind of wrong proof is rejected (the probes of transparency-dev/merkle's verify_test.go).
@Suite struct ProofVerificationTests {
    static let someHash = [UInt8](hex: "abacaba000000000000000000000000000000000000000000060061e00123456")

    let leaves = TestData.leafHashes(70, seed: 7)

    func inclusionProbes(index: Int, size: Int, proof: [[UInt8]], root: [UInt8], leaf: [UInt8])
        -> [(String, Int, Int, [[UInt8]], [UInt8], [UInt8])]
    {
        var probes: [(String, Int, Int, [[UInt8]], [UInt8], [UInt8])] = [
            ("index - 1", index - 1, size, proof, root, leaf),
            ("index + 1", index + 1, size, proof, root, leaf),
            ("index ^ 2", index ^ 2, size, proof, root, leaf),
            ("size * 2", index, size * 2, proof, root, leaf),
            ("size / 2", index, size / 2, proof, root, leaf),
            ("wrong leaf", index, size, proof, root, Array("WrongLeaf".utf8)),
            ("other leaf", index, size, proof, root, Self.someHash),
            ("empty root", index, size, proof, MerkleHash.emptyRoot, leaf),
            ("random root", index, size, proof, Self.someHash, leaf),
            ("trailing garbage", index, size, proof + [[]], root, leaf),
            ("trailing root", index, size, proof + [root], root, leaf),
            ("preceding garbage", index, size, [[]] + proof, root, leaf),
            ("preceding root", index, size, [root] + proof, root, leaf),
            ("short hash", index, size, proof.map { Array($0.dropLast()) }, root, leaf),
        ]
        for i in proof.indices {
            var flipped = proof
            flipped[i][0] ^= 8
            probes.append(("flipped proof[\(i)]", index, size, flipped, root, leaf))
        }
        if !proof.isEmpty {
            probes.append(("removed component", index, size, Array(proof.dropLast()), root, leaf))
        }
        if proof.count > 1 {
            probes.append(("inserted component", index, size, [proof[0], Self.someHash] + proof.dropFirst(), root, leaf))
            probes.append(("swapped components", index, size, [proof[1], proof[0]] + proof.dropFirst(2), root, leaf))
        }
        return probes
    }

    @Test func everyInclusionProofVerifiesAndNoCorruptionDoes() throws {
        let storage = try MemoryTileStorage(leafHashes: leaves)
        let reader = TileHashReader(storage: storage)
        for size in 1...leaves.count {
            let root = try reader.treeHash(size: size)
            for index in 0..<size {
                let proof = try reader.inclusionProof(index: index, size: size)
                #expect(MerkleProof.verifyInclusion(leafHash: leaves[index], index: index, size: size,
                                                    proof: proof, root: root))
                for (name, i, n, p, r, l) in inclusionProbes(index: index, size: size, proof: proof, root: root,
                                                            leaf: leaves[index]) {
                    // A probe that happens to describe another valid proof is not a forgery.
                    if i >= 0, i < n, n <= leaves.count, l == leaves[i],
                        try p == reader.inclusionProof(index: i, size: n), try r == reader.treeHash(size: n)
                    {
                        continue
                    }
                    #expect(!MerkleProof.verifyInclusion(leafHash: l, index: i, size: n, proof: p, root: r),
                            "\(name) accepted for \(index) in \(size)")
                }
            }
        }
    }

    @Test func everyConsistencyProofVerifiesAndNoCorruptionDoes() throws {
        let storage = try MemoryTileStorage(leafHashes: leaves)
        let reader = TileHashReader(storage: storage)
        let roots = try (0...leaves.count).map { try reader.treeHash(size: $0) }
        for to in 1...leaves.count {
            for from in 1..<to {
                let proof = try reader.consistencyProof(from: from, to: to)
                #expect(MerkleProof.verifyConsistency(from: from, to: to, oldRoot: roots[from], newRoot: roots[to],
                                                      proof: proof))
                var probes: [(String, Int, Int, [UInt8], [UInt8], [[UInt8]])] = [
                    ("from - 1", from - 1, to, roots[from], roots[to], proof),
                    ("from + 1", from + 1, to, roots[from], roots[to], proof),
                    ("from ^ 2", from ^ 2, to, roots[from], roots[to], proof),
                    ("to * 2", from, to * 2, roots[from], roots[to], proof),
                    ("to / 2", from, to / 2, roots[from], roots[to], proof),
                    ("wrong old root", from, to, Array("WrongRoot".utf8), roots[to], proof),
                    ("wrong new root", from, to, roots[from], Self.someHash, proof),
                    ("swapped roots", from, to, roots[to], roots[from], proof),
                    ("empty proof", from, to, roots[from], roots[to], []),
                    ("trailing garbage", from, to, roots[from], roots[to], proof + [[]]),
                    ("trailing old root", from, to, roots[from], roots[to], proof + [roots[from]]),
                    ("trailing new root", from, to, roots[from], roots[to], proof + [roots[to]]),
                    ("preceding garbage", from, to, roots[from], roots[to], [[]] + proof),
                    ("preceding old root", from, to, roots[from], roots[to], [roots[from]] + proof),
                    ("preceding new root", from, to, roots[from], roots[to], [roots[to]] + proof),
                    ("preceding proof[0]", from, to, roots[from], roots[to], [proof[0]] + proof),
                    ("truncated", from, to, roots[from], roots[to], Array(proof.dropLast())),
                ]
                for i in proof.indices {
                    var flipped = proof
                    flipped[i][0] ^= 16
                    probes.append(("flipped proof[\(i)]", from, to, roots[from], roots[to], flipped))
                }
                for (name, m, n, r1, r2, p) in probes {
                    if m > 0, m < n, n <= leaves.count, r1 == roots[m], r2 == roots[n],
                        try p == reader.consistencyProof(from: m, to: n)
                    {
                        continue
                    }
                    #expect(!MerkleProof.verifyConsistency(from: m, to: n, oldRoot: r1, newRoot: r2, proof: p),
                            "\(name) accepted for \(from) to \(to)")
                }
            }
        }
    }

    @Test func trivialConsistencyCases() {
        let a = leaves[0], b = leaves[1]
        // Equal sizes: empty proof and equal roots, nothing else.
        #expect(MerkleProof.verifyConsistency(from: 3, to: 3, oldRoot: a, newRoot: a, proof: []))
        #expect(!MerkleProof.verifyConsistency(from: 3, to: 3, oldRoot: a, newRoot: b, proof: []))
        #expect(!MerkleProof.verifyConsistency(from: 3, to: 3, oldRoot: a, newRoot: a, proof: [a]))
        // The empty tree is a prefix of every tree, but only under the empty root.
        #expect(MerkleProof.verifyConsistency(from: 0, to: 5, oldRoot: MerkleHash.emptyRoot, newRoot: b, proof: []))
        #expect(!MerkleProof.verifyConsistency(from: 0, to: 5, oldRoot: a, newRoot: b, proof: []))
        #expect(!MerkleProof.verifyConsistency(from: 0, to: 5, oldRoot: MerkleHash.emptyRoot, newRoot: b, proof: [a]))
        // Time travel and a proof needed but missing.
        #expect(!MerkleProof.verifyConsistency(from: 2, to: 1, oldRoot: a, newRoot: b, proof: []))
        #expect(!MerkleProof.verifyConsistency(from: 1, to: 2, oldRoot: a, newRoot: b, proof: []))
        #expect(!MerkleProof.verifyConsistency(from: -1, to: 2, oldRoot: a, newRoot: b, proof: [a]))
    }

    @Test func trivialInclusionCases() {
        let leaf = leaves[0]
        // A one-leaf tree: the root is the leaf and the proof is empty.
        #expect(MerkleProof.verifyInclusion(leafHash: leaf, index: 0, size: 1, proof: [], root: leaf))
        #expect(!MerkleProof.verifyInclusion(leafHash: leaf, index: 0, size: 1, proof: [], root: []))
        #expect(!MerkleProof.verifyInclusion(leafHash: [], index: 0, size: 1, proof: [], root: []))
        for (index, size) in [(0, 0), (1, 0), (2, 1), (-1, 1)] {
            #expect(!MerkleProof.verifyInclusion(leafHash: leaf, index: index, size: size, proof: [], root: leaf))
            #expect(!MerkleProof.verifyInclusion(leafHash: leaf, index: index, size: size, proof: [],
                                                 root: MerkleHash.emptyRoot))
        }
    }

    @Test func anEntryCannotPassForANode() {
        // The 0x00/0x01 prefixes: an entry made of two child hashes does not
        // hash to their parent node, so no entry can stand in for a subtree.
        let node = MerkleHash.node(leaves[0], leaves[1])
        #expect(MerkleHash.leaf(leaves[0] + leaves[1]) != node)
        #expect(MerkleHash.leaf([0x01] + leaves[0] + leaves[1]) != node)
    }
}
