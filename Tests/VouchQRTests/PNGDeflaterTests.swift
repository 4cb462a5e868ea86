import Testing
import VouchCore
@testable import VouchQR

/// The hand-written deflate encoder, checked by zlib's own inflate (which also checks the Adler-32).
@Suite struct PNGDeflaterTests {
    /// Rows of runs of every awkward length: 1, 2, 3 (shortest match), 258 (longest), 259-261 (split).
    static func runRow(_ runs: [Int]) -> [UInt8] {
        var row: [UInt8] = []
        for (index, run) in runs.enumerated() {
            row += [UInt8](repeating: index.isMultiple(of: 2) ? 0xFF : UInt8(truncatingIfNeeded: index), count: run)
        }
        return row
    }

    static func expand(rows: [UInt8], rowLength: Int, repeats: [Int]) -> [UInt8] {
        var result: [UInt8] = []
        for (index, count) in repeats.enumerated() {
            for _ in 0..<count { result += rows[(index * rowLength)..<((index + 1) * rowLength)] }
        }
        return result
    }

    @Test(arguments: [
        [1, 2, 3, 4, 258, 259, 260, 261, 517, 1],
        [3],
        [2, 1],
        [1, 1, 1],
        [1000],
        [40_000 / 2, 12_768 / 2],
    ])
    func runsInARow(runs: [Int]) throws {
        let row = Self.runRow(runs)
        for repeats in [[1], [2], [3], [87], [86, 1, 260]] where row.count * repeats.count <= 40_000 * 3 {
            let rows = Array(repeatElement(row, count: repeats.count).joined())
            let expected = Self.expand(rows: rows, rowLength: row.count, repeats: repeats)
            let stream = PNGDeflater.zlibStream(rows: rows, rowLength: row.count, repeats: repeats)
            #expect(try Zlib.decompress(stream, maxOutputBytes: expected.count) == expected, "repeats \(repeats)")
        }
    }

    /// Pseudo-random rows: every byte value, as literals of 8 and 9 bits.
    @Test(arguments: [3, 4, 62, 257, 258, 259, 1000, 15_425, 32_768])
    func randomRows(rowLength: Int) throws {
        var state: UInt64 = 42
        var rows: [UInt8] = []
        let repeats = [1, 5, 2, 300, 1, 1]
        for _ in repeats {
            for _ in 0..<rowLength {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // Mostly runs, some noise.
                rows.append(state >> 60 < 3 ? UInt8(truncatingIfNeeded: state >> 40) : (rows.last ?? 0))
            }
        }
        let expected = Self.expand(rows: rows, rowLength: rowLength, repeats: repeats)
        let stream = PNGDeflater.zlibStream(rows: rows, rowLength: rowLength, repeats: repeats)
        #expect(try Zlib.decompress(stream, maxOutputBytes: expected.count) == expected)
    }

    @Test func fixedCodesMatchRFC1951() {
        // Literal 0: 00110000, literal 144: 110010000, end of block: 0000000, symbol 280: 11000000.
        #expect(FixedHuffman.symbol(0).count == 8 && FixedHuffman.symbol(0).bits == 0b0000_1100)
        #expect(FixedHuffman.symbol(144).count == 9 && FixedHuffman.symbol(144).bits == 0b0_0001_0011)
        #expect(FixedHuffman.symbol(256).count == 7 && FixedHuffman.symbol(256).bits == 0)
        #expect(FixedHuffman.symbol(280).count == 8 && FixedHuffman.symbol(280).bits == 0b0000_0011)
        // Length 258 is symbol 285 with no extra bits, not 284 + 31.
        #expect(FixedHuffman.lengthCode(258).count == 8)
        #expect(FixedHuffman.lengthCode(257).count == 8 + 5)
        // Distance 32768 is code 29 with 13 extra bits of 8191.
        #expect(FixedHuffman.distanceCode(32_768).count == 18)
        #expect(FixedHuffman.distanceCode(32_768).bits >> 5 == 8191)
        #expect(FixedHuffman.distanceCode(1).count == 5 && FixedHuffman.distanceCode(1).bits == 0)
    }
}
