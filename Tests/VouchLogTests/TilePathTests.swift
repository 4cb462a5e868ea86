import Testing
import VouchLog

/// C2SP tlog-tiles path encoding.
@Suite struct TilePathTests {
    @Test(arguments: [
        (0, 0, 256, "tile/0/000"),
        (0, 1, 256, "tile/0/001"),
        (0, 999, 256, "tile/0/999"),
        (0, 1000, 256, "tile/0/x001/000"),
        (0, 1234067, 256, "tile/0/x001/x234/067"),
        (1, 1234067, 8, "tile/1/x001/x234/067.p/8"),
        (2, 5, 1, "tile/2/005.p/1"),
        (0, 0, 255, "tile/0/000.p/255"),
        (63, 0, 256, "tile/63/000"),
        (3, 1_000_000, 256, "tile/3/x001/x000/000"),
        (0, Int.max, 256, "tile/0/x009/x223/x372/x036/x854/x775/807"),
    ])
    func hashTilePaths(level: Int, index: Int, width: Int, path: String) throws {
        let tile = try TilePath(level: level, index: index, width: width)
        #expect(tile.description == path)
        let parsed = try TilePath(parsing: path)
        #expect(parsed == tile)
        #expect(parsed.kind == .hashes(level: level))
        #expect(parsed.isPartial == (width < 256))
    }

    @Test(arguments: [
        (1234067, 256, "tile/entries/x001/x234/067"),
        (0, 5, "tile/entries/000.p/5"),
        (1000, 17, "tile/entries/x001/000.p/17"),
    ])
    func entryBundlePaths(index: Int, width: Int, path: String) throws {
        let bundle = try TilePath(entriesIndex: index, width: width)
        #expect(bundle.description == path)
        #expect(try TilePath(parsing: path) == bundle)
        #expect(bundle.kind == .entries)
    }

    @Test(arguments: [
        "", "tile", "tile/", "tile/0", "tile/0/", "/tile/0/000", "tiles/0/000", "Tile/0/000",
        "tile//000", "tile/00/000", "tile/01/000", "tile/64/000", "tile/-1/000", "tile/+1/000", "tile/1a/000",
        "tile/0/00", "tile/0/0000", "tile/0/x001", "tile/0/001/002", "tile/0/x001/x02/003", "tile/0/x000/067",
        "tile/0/x001/x234/x067", "tile/0/X001/234", "tile/0/x1234/000", "tile/0/-01", "tile/0/+01", "tile/0/ 01",
        "tile/0/000.p", "tile/0/000.p/", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/01", "tile/0/000.p/1000",
        "tile/0/000.p/5/", "tile/0/000.p/5/6", "tile/0/x001.p/5/000", "tile/0/000/", "tile/0/000.P/5",
        "tile/entries", "tile/entries/", "tile/entries/0", "tile/data/000", "tile/entries/x000/001",
        "tile/0/x009/x223/x372/x036/x854/x775/808", "tile/0/x001/x000/x000/x000/x000/x000/x000/000",
        "tile/0/000\n", "tile/0/0٠0",
    ])
    func malformedPathsAreRejected(path: String) {
        #expect(throws: LogError(.malformedTilePath, "")) { try TilePath(parsing: path) }
    }

    @Test func invalidComponentsAreRejected() {
        #expect(throws: LogError(.malformedTilePath, "")) { try TilePath(level: 64, index: 0) }
        #expect(throws: LogError(.malformedTilePath, "")) { try TilePath(level: -1, index: 0) }
        #expect(throws: LogError(.malformedTilePath, "")) { try TilePath(level: 0, index: -1) }
        #expect(throws: LogError(.malformedTilePath, "")) { try TilePath(level: 0, index: 0, width: 0) }
        #expect(throws: LogError(.malformedTilePath, "")) { try TilePath(level: 0, index: 0, width: 257) }
        #expect(throws: LogError(.malformedTilePath, "")) { try TilePath(entriesIndex: -5) }
    }

    @Test func randomIndicesRoundTrip() throws {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            let index = Int.random(in: 0...Int.max >> Int.random(in: 0...62, using: &rng), using: &rng)
            let width = Bool.random(using: &rng) ? 256 : Int.random(in: 1...255, using: &rng)
            let tile = try TilePath(level: Int.random(in: 0...63, using: &rng), index: index, width: width)
            #expect(try TilePath(parsing: tile.description) == tile)
        }
    }

    @Test func widthAtATreeSize() {
        #expect(TilePath.width(level: 0, index: 0, treeSize: 0) == 0)
        #expect(TilePath.width(level: 0, index: 0, treeSize: 1) == 1)
        #expect(TilePath.width(level: 0, index: 0, treeSize: 256) == 256)
        #expect(TilePath.width(level: 0, index: 1, treeSize: 256) == 0)
        #expect(TilePath.width(level: 0, index: 1, treeSize: 300) == 44)
        #expect(TilePath.width(level: 1, index: 0, treeSize: 255) == 0)
        #expect(TilePath.width(level: 1, index: 0, treeSize: 256 * 3 + 7) == 3)
        #expect(TilePath.width(level: 2, index: 0, treeSize: 65536) == 1)
        #expect(TilePath.width(level: 1, index: 1, treeSize: 65536 * 2 + 256 * 5) == 256)
        #expect(TilePath.width(level: 1, index: 2, treeSize: 65536 * 2 + 256 * 5) == 5)
        #expect(TilePath.width(level: 7, index: 0, treeSize: Int.max) == 127)
        #expect(TilePath.width(level: 8, index: 0, treeSize: Int.max) == 0)
        #expect(TilePath.width(level: 40, index: 0, treeSize: Int.max) == 0)
        #expect(TilePath.width(level: 0, index: Int.max, treeSize: Int.max) == 0)
    }

    @Test func entryBundlesRoundTrip() throws {
        let entries: [[UInt8]] = [[], [0x61], Array(repeating: 7, count: 300), Array(repeating: 9, count: 65535)]
        let bundle = try EntryBundle.encode(entries)
        #expect(Array(bundle.prefix(5)) == [0x00, 0x00, 0x00, 0x01, 0x61])
        #expect(try EntryBundle.decode(bundle) == entries)
        #expect(throws: LogError(.invalidArgument, "")) { try EntryBundle.decode(Array(bundle.dropLast())) }
        #expect(throws: LogError(.invalidArgument, "")) { try EntryBundle.decode([0x00]) }
        #expect(throws: LogError(.invalidArgument, "")) { try EntryBundle.decode([]) }
        #expect(throws: LogError(.invalidArgument, "")) { try EntryBundle.encode([Array(repeating: 0, count: 65536)]) }
        #expect(throws: LogError(.invalidArgument, "")) { try EntryBundle.encode(Array(repeating: [1], count: 257)) }
        #expect(throws: LogError(.invalidArgument, "")) { try EntryBundle.decode(Array(repeating: 0, count: 2 * 257)) }
        #expect(try EntryBundle.decode(Array(repeating: 0, count: 2 * 256)).count == 256)
    }
}
