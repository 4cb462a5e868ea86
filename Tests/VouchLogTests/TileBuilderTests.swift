import Testing
import VouchCore
import VouchLog

/// Tiles built incrementally equal tiles built in one go, and proofs from tiles
/// equal proofs from full recomputation.
@Suite struct TileBuilderTests {
    static let sizes = [1, 7, 255, 256, 257, 1000, 65536 + 300]

    @Test(arguments: sizes)
    func incrementalTilesEqualBulkTiles(size: Int) throws {
        let leaves = TestData.leafHashes(size, seed: UInt64(size))
        let bulk = try MemoryTileStorage(leafHashes: leaves)
        for seed in 1...3 as ClosedRange<UInt64> {
            let maximum = size > 10_000 ? 5000 : 300
            let incremental = try TestData.incrementalStorage(leaves, batches: TestData.batches(size, seed: seed, maximum: maximum))
            #expect(incremental == bulk, "batches with seed \(seed)")
        }
        // One leaf at a time too, for the small trees.
        if size <= 1000 {
            #expect(try TestData.incrementalStorage(leaves, batches: Array(repeating: 1, count: size)) == bulk)
        }
    }

    @Test(arguments: sizes)
    func tilesHoldExactlyTheCompleteSubtrees(size: Int) throws {
        let leaves = TestData.leafHashes(size, seed: UInt64(size))
        let storage = try MemoryTileStorage(leafHashes: leaves)
        var expectedTiles = 0
        var level = 0
        while size >> (8 * level) > 0 {
            let hashes = size >> (8 * level)
            let tiles = (hashes + 255) / 256
            expectedTiles += tiles
            for index in 0..<tiles {
                let stored = try #require(storage.readTile(level: level, index: index))
                #expect(stored.count == TilePath.width(level: level, index: index, treeSize: size))
                // Hash i of a level-L tile is the root of leaves [(N*256+i) << 8L, +2^8L).
                for i in [0, stored.count - 1] {
                    let first = (index * 256 + i) << (8 * level)
                    let subtree = leaves[first..<first + (1 << (8 * level))]
                    #expect(stored[i] == ReferenceTree.mth(subtree), "tile \(level)/\(index) hash \(i)")
                }
            }
            #expect(storage.readTile(level: level, index: tiles) == nil)
            level += 1
        }
        #expect(storage.readTile(level: level, index: 0) == nil)
        #expect(storage.tileCount == expectedTiles)
    }

    @Test func builderReturnsOnlyChangedTiles() throws {
        let leaves = TestData.leafHashes(600, seed: 3)
        let storage = try MemoryTileStorage(leafHashes: Array(leaves.prefix(511)))
        // 511 -> 513 fills tile 0/1, starts tile 0/2 and adds the second level-1 hash.
        let tiles = try TileBuilder.tiles(appending: Array(leaves[511..<513]), toTreeOfSize: 511, reading: storage)
        #expect(tiles.map(\.path.description) == ["tile/0/001", "tile/0/002.p/1", "tile/1/000.p/2"])
        #expect(tiles[0].hashes == Array(leaves[256..<512]))
        #expect(tiles[0].data.count == 256 * 32)
        #expect(try Tile(level: 0, index: 1, data: tiles[0].data) == tiles[0])
        #expect(try TileBuilder.tiles(appending: [], toTreeOfSize: 511, reading: storage).isEmpty)
    }

    @Test func appendReadsOnlyTheRightEdge() throws {
        let size = 65536 + 256 * 3 + 255
        let leaves = TestData.leafHashes(size + 1, seed: 9)
        let storage = CountingStorage(try MemoryTileStorage(leafHashes: Array(leaves.prefix(size))))
        _ = try TileBuilder.tiles(appending: [leaves[size]], toTreeOfSize: size, reading: storage)
        // One partial tile per level that changes: the leaf completes tile 0/259, whose
        // root joins the three hashes of tile 1/1; level 2 does not change.
        #expect(storage.reads == ["0/259", "1/1"])
    }

    @Test func missingOrCorruptEdgeTilesAreErrors() throws {
        let leaves = TestData.leafHashes(10, seed: 4)
        let empty = MemoryTileStorage()
        #expect(throws: LogError(.missingTile, "")) {
            try TileBuilder.tiles(appending: leaves, toTreeOfSize: 5, reading: empty)
        }
        #expect(throws: LogError(.invalidArgument, "")) {
            try TileBuilder.tiles(appending: [[1, 2, 3]], toTreeOfSize: 0, reading: empty)
        }
        #expect(throws: LogError(.invalidArgument, "")) {
            try TileBuilder.tiles(appending: leaves, toTreeOfSize: -1, reading: empty)
        }
        #expect(throws: LogError(.corruptTile, "")) { try Tile(level: 0, index: 0, data: [1, 2, 3]) }
        #expect(throws: LogError(.corruptTile, "")) { try Tile(level: 0, index: 0, hashes: []) }
        struct Corrupt: TileStorage {
            func readTile(level: Int, index: Int) -> [[UInt8]]? { [[0xaa]] }
        }
        #expect(throws: LogError(.corruptTile, "")) {
            try TileBuilder.tiles(appending: leaves, toTreeOfSize: 1, reading: Corrupt())
        }
        #expect(throws: LogError(.corruptTile, "")) { try TileHashReader(storage: Corrupt()).treeHash(size: 1) }
    }

    @Test(arguments: sizes)
    func proofsFromTilesEqualFullRecomputation(size: Int) throws {
        let leaves = TestData.leafHashes(size, seed: UInt64(size))
        let storage = try TestData.incrementalStorage(leaves, batches: TestData.batches(size, seed: 11, maximum: 5000))
        let reader = TileHashReader(storage: storage)
        var rng = SplitMix64(seed: UInt64(size) &* 31)
        // The reference recursion is O(n) per call: sample, favouring tile edges.
        let edges = [1, 2, 255, 256, 257, 511, 512, 513, 65535, 65536, 65537, size - 1, size].filter { $0 >= 1 && $0 <= size }
        var sizesToCheck = Set(edges)
        for _ in 0..<6 { sizesToCheck.insert(Int.random(in: 1...size, using: &rng)) }
        for n in sizesToCheck.sorted() {
            let prefix = Array(leaves.prefix(n))
            #expect(try reader.treeHash(size: n) == ReferenceTree.mth(prefix[...]))
            #expect(try reader.treeHash(size: n) == MerkleHash.root(leafHashes: prefix))
            for index in Set([0, n - 1, n / 2, Int.random(in: 0..<n, using: &rng)]) {
                #expect(try reader.inclusionProof(index: index, size: n) == ReferenceTree.path(index, prefix[...]),
                        "inclusion \(index) in \(n)")
            }
            for from in Set([1, n / 2, n - 1, Int.random(in: 1...n, using: &rng)]) where from >= 1 && from <= n {
                #expect(try reader.consistencyProof(from: from, to: n) == ReferenceTree.consistency(from, n, prefix),
                        "consistency \(from) to \(n)")
            }
        }
    }

    @Test func proofsReadLogarithmicallyManyTiles() throws {
        let leaves = TestData.leafHashes(65536 + 300, seed: 9)
        let storage = CountingStorage(try MemoryTileStorage(leafHashes: leaves))
        let reader = TileHashReader(storage: storage)
        _ = try reader.inclusionProof(index: 12345, size: leaves.count)
        #expect(Set(storage.reads).count == storage.reads.count, "a call reads each tile once")
        #expect(storage.reads.count <= 6)
        let before = storage.reads.count
        _ = try reader.consistencyProof(from: 40000, to: leaves.count)
        #expect(storage.reads.count - before <= 8)
    }
}
