import Testing
import VouchCore
import VouchLog

/// RFC 9162 hashing and proofs against the published Certificate Transparency vectors.
@Suite struct MerkleHashTests {
    let vectors: CTVectors
    let storage: MemoryTileStorage

    init() throws {
        vectors = try CTVectors.load()
        storage = try MemoryTileStorage(leafHashes: vectors.entries.map(MerkleHash.leaf))
    }

    @Test func vectorFileIsComplete() {
        #expect(vectors.entries.count == 8)
        #expect(vectors.roots.count == 9)
        #expect(vectors.inclusion.count == 5)
        #expect(vectors.consistency.count == 5)
    }

    @Test func emptyRootIsSHA256OfNothing() {
        #expect(MerkleHash.emptyRoot.hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MerkleHash.root(leafHashes: []) == MerkleHash.emptyRoot)
        #expect(vectors.roots[0] == MerkleHash.emptyRoot)
    }

    @Test func leafHashesUseTheZeroPrefix() {
        #expect(vectors.entries.map(MerkleHash.leaf) == vectors.leafHashes)
    }

    @Test func nodeHashUsesTheOnePrefix() {
        let node = MerkleHash.node(vectors.leafHashes[0], vectors.leafHashes[1])
        #expect(node == vectors.roots[2])
    }

    @Test(arguments: 0...8)
    func rootsMatchThePublishedTreeHeads(size: Int) throws {
        let leaves = Array(vectors.leafHashes.prefix(size))
        #expect(MerkleHash.root(leafHashes: leaves) == vectors.roots[size])
        #expect(try TileHashReader(storage: storage).treeHash(size: size) == vectors.roots[size])
        #expect(ReferenceTree.mth(leaves[...]) == vectors.roots[size])
    }

    @Test func size8RootIsTheWellKnownOne() throws {
        #expect(try TileHashReader(storage: storage).treeHash(size: 8).hexString
            == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
    }

    @Test func inclusionProofsMatchThePublishedOnes() throws {
        let reader = TileHashReader(storage: storage)
        for vector in vectors.inclusion {
            let proof = try reader.inclusionProof(index: vector.first, size: vector.second)
            #expect(proof == vector.proof, "inclusion \(vector.first) in \(vector.second)")
            #expect(MerkleProof.verifyInclusion(
                leafHash: vectors.leafHashes[vector.first], index: vector.first, size: vector.second,
                proof: vector.proof, root: vectors.roots[vector.second]))
        }
    }

    @Test func consistencyProofsMatchThePublishedOnes() throws {
        let reader = TileHashReader(storage: storage)
        for vector in vectors.consistency {
            let proof = try reader.consistencyProof(from: vector.first, to: vector.second)
            #expect(proof == vector.proof, "consistency \(vector.first) to \(vector.second)")
            #expect(MerkleProof.verifyConsistency(
                from: vector.first, to: vector.second, oldRoot: vectors.roots[vector.first],
                newRoot: vectors.roots[vector.second], proof: vector.proof))
        }
    }

    @Test func subtreeHashesAreTheStoredNodes() throws {
        // transparency-dev/merkle NodeHashes(): level 1 and 2 nodes of the 8-leaf tree.
        let reader = TileHashReader(storage: storage)
        #expect(try reader.hash(level: 1, index: 1).hexString
            == "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e")
        #expect(try reader.hash(level: 1, index: 2).hexString
            == "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a")
        #expect(try reader.hash(level: 2, index: 1).hexString
            == "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")
        #expect(try reader.hash(level: 0, index: 7) == vectors.leafHashes[7])
    }

    @Test func proofArgumentsOutOfRangeThrow() throws {
        let reader = TileHashReader(storage: storage)
        #expect(throws: LogError(.invalidArgument, "")) { try reader.inclusionProof(index: 8, size: 8) }
        #expect(throws: LogError(.invalidArgument, "")) { try reader.inclusionProof(index: -1, size: 8) }
        #expect(throws: LogError(.invalidArgument, "")) { try reader.consistencyProof(from: 5, to: 4) }
        #expect(throws: LogError(.invalidArgument, "")) { try reader.treeHash(size: -1) }
        #expect(try reader.consistencyProof(from: 0, to: 8) == [])
        #expect(try reader.consistencyProof(from: 8, to: 8) == [])
        // Beyond what is stored: an error, never a wrong answer.
        #expect(throws: LogError(.missingTile, "")) { try reader.treeHash(size: 9) }
        #expect(throws: LogError(.missingTile, "")) { try reader.inclusionProof(index: 0, size: 300) }
    }
}
