import Testing
import VouchCore

@Suite struct ZlibTests {
    static let samples: [[UInt8]] = [
        [],
        [0x42],
        Array("Token Status List, CWT form".utf8),
        (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) },
        [UInt8](repeating: 0, count: 1 << 20),
    ]

    @Test(arguments: samples, [Int32(0), 1, 6, 9])
    func roundTrip(bytes: [UInt8], level: Int32) throws {
        let compressed = try Zlib.compress(bytes, level: level)
        #expect(compressed.first == 0x78)  // deflate, 32 KiB window
        let inflated = try Zlib.decompress(compressed, maxOutputBytes: bytes.count)
        #expect(inflated == bytes)
    }

    @Test func limitIsInclusive() throws {
        let bytes = [UInt8](repeating: 7, count: 100_000)
        let compressed = try Zlib.compress(bytes)
        let inflated = try Zlib.decompress(compressed, maxOutputBytes: 100_000)
        #expect(inflated == bytes)
        // Growth is capped at the limit: no doubling to 128 KiB on the way.
        #expect(inflated.capacity < 100_000 + 4096)
        expectZlibError(.outputTooLarge) {
            try Zlib.decompress(compressed, maxOutputBytes: 99_999)
        }
        expectZlibError(.outputTooLarge) {
            try Zlib.decompress(compressed, maxOutputBytes: 0)
        }
    }

    /// 100 MiB of zeros compress to about 100 KiB; a 4 MiB limit stops inflating
    /// after the first 4 MiB instead of allocating 100 MiB.
    @Test func decompressionBombStopsAtTheLimit() throws {
        let bomb = try Zlib.compress([UInt8](repeating: 0, count: 100 << 20))
        #expect(bomb.count < 200_000)
        expectZlibError(.outputTooLarge) { try Zlib.decompress(bomb, maxOutputBytes: 4 << 20) }
    }

    @Test func truncatedStream() throws {
        let compressed = try Zlib.compress(Array(repeating: Array("status list ".utf8), count: 50).flatMap { $0 })
        for cut in [1, 2, compressed.count / 2, compressed.count - 4, compressed.count - 1] {
            expectZlibError(.truncated, "cut at \(cut)") {
                try Zlib.decompress(Array(compressed.prefix(cut)), maxOutputBytes: 1 << 20)
            }
        }
        expectZlibError(.truncated) { try Zlib.decompress([], maxOutputBytes: 10) }
    }

    @Test func corruptStream() throws {
        let compressed = try Zlib.compress(Array("abcdefghijklmnopqrstuvwxyz".utf8))
        var badHeader = compressed
        badHeader[0] = 0x79
        var badChecksum = compressed
        badChecksum[badChecksum.count - 1] ^= 0xFF
        var badBlock = compressed
        badBlock[2] = 0xFF  // block type 3 is reserved
        let presetDictionary: [UInt8] = [0x78, 0xBB, 0, 0, 0, 1, 3, 0, 0, 0, 0, 1]
        for bytes in [badHeader, badChecksum, badBlock, presetDictionary, Array("not zlib".utf8)] {
            expectZlibError(.corrupt, "\(bytes)") { try Zlib.decompress(bytes, maxOutputBytes: 1 << 20) }
        }
    }

    @Test func trailingBytesAreRejected() throws {
        let compressed = try Zlib.compress(Array("payload".utf8))
        for trailer: [UInt8] in [[0], [0x78, 0x9C], compressed] {
            expectZlibError(.corrupt) { try Zlib.decompress(compressed + trailer, maxOutputBytes: 1 << 20) }
        }
    }

    @Test func invalidParameters() {
        expectZlibError(.internal) { try Zlib.compress([1], level: 10) }
        expectZlibError(.internal) { try Zlib.compress([1], level: -1) }
        expectZlibError(.internal) { try Zlib.decompress([1], maxOutputBytes: -1) }
    }

    @Test func checksumsMatchKnownValues() {
        let check = Array("123456789".utf8)
        #expect(Zlib.crc32(check) == 0xCBF4_3926)
        #expect(Zlib.adler32(check) == 0x091E_01DE)
        #expect(Zlib.crc32([UInt8]()) == 0)
        #expect(Zlib.adler32([UInt8]()) == 1)
        // Continuing from a prefix gives the checksum of the whole, and slices work without copying.
        #expect(Zlib.crc32(check[4...], initial: Zlib.crc32(check[..<4])) == 0xCBF4_3926)
        #expect(Zlib.adler32(check[4...], initial: Zlib.adler32(check[..<4])) == 0x091E_01DE)
        // IEND chunk CRC from the PNG specification.
        #expect(Zlib.crc32(Array("IEND".utf8)) == 0xAE42_6082)
    }

    @Test func errorsCompareByCode() throws {
        let truncated1 = try #require(Self.error { try Zlib.decompress([0x78], maxOutputBytes: 1) })
        let truncated2 = try #require(Self.error { try Zlib.decompress([0x78, 0x9C, 0x01], maxOutputBytes: 1) })
        let corrupt = try #require(Self.error { try Zlib.decompress([0, 0], maxOutputBytes: 1) })
        #expect(truncated1 == truncated2)
        #expect(truncated1.hashValue == truncated2.hashValue)
        #expect(truncated1 != corrupt)
        #expect(corrupt.description.hasPrefix("ZlibError.corrupt: "))
    }

    static func error(_ body: () throws -> [UInt8]) -> ZlibError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? ZlibError
        }
    }
}

/// Expects `body` to throw a ``ZlibError`` with `code`.
private func expectZlibError(
    _ code: ZlibError.Code,
    _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> [UInt8]
) {
    let error = #expect(throws: ZlibError.self, comment, sourceLocation: sourceLocation) { try body() }
    #expect(error?.code == code, comment, sourceLocation: sourceLocation)
}
