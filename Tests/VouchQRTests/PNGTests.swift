import Testing
import VouchCore
import VouchQR

/// The PNG bytes, checked field by field and against pixels drawn straight from the module matrix.
@Suite struct PNGTests {
    struct Chunk {
        var type: String
        var data: [UInt8]
        var crc: UInt32
    }

    static let cases: [(text: String, options: QRRenderOptions, depth: QRPNGBitDepth)] = [
        ("A", QRRenderOptions(scale: 1, border: 0), .one),
        ("A", QRRenderOptions(scale: 1, border: 0), .eight),
        ("A", QRRenderOptions(scale: 64, border: 2), .one),
        ("A", QRRenderOptions(scale: 33, border: 1), .eight),
        ("hello", QRRenderOptions(scale: 3, border: 4), .one),
        (TestTexts.vouch(count: 280), QRRenderOptions(), .one),
        (TestTexts.vouch(count: 280), QRRenderOptions(), .eight),
        (TestTexts.vouch(count: 280), QRRenderOptions(scale: 7, border: 2), .one),
        (TestTexts.vouch(count: 1500), QRRenderOptions(scale: 5, border: 3), .one),
        (TestTexts.vouch(count: 1500), QRRenderOptions(scale: 2, border: 4), .eight),
    ]

    @Test(arguments: 0..<cases.count)
    func pngMatchesTheModules(index: Int) throws {
        let (text, options, depth) = Self.cases[index]
        let code = try QRCode(text: text)
        let png = try code.png(options: options, bitDepth: depth)
        let side = (code.size + 2 * options.border) * options.scale

        #expect(png.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let chunks = try Self.chunks(png)
        #expect(chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        for chunk in chunks {
            #expect(chunk.crc == Zlib.crc32(Array(chunk.type.utf8) + chunk.data), "CRC of \(chunk.type)")
        }
        let bits: UInt8 = depth == .one ? 1 : 8
        #expect(chunks[0].data == Self.bigEndian(side) + Self.bigEndian(side) + [bits, 0, 0, 0, 0])
        #expect(chunks[2].data.isEmpty)

        // Zlib.decompress checks the Adler-32 and refuses trailing bytes.
        let expected = Self.referenceScanlines(code, options: options, depth: depth)
        let scanlines = try Zlib.decompress(chunks[1].data, maxOutputBytes: expected.count)
        #expect(scanlines == expected)
        if options.scale >= 4 { #expect(chunks[1].data.count < expected.count / 4) }
    }

    @Test func defaultsAreOneBitScaleEightBorderFour() throws {
        let code = try QRCode(text: TestTexts.vouch(count: 250))
        let png = try code.png()
        #expect(png == (try code.png(options: QRRenderOptions(scale: 8, border: 4), bitDepth: .one)))
        let ihdr = try Self.chunks(png)[0].data
        #expect(ihdr == Self.bigEndian(488) + Self.bigEndian(488) + [1, 0, 0, 0, 0])
    }

    @Test(arguments: [
        QRRenderOptions(scale: 0), QRRenderOptions(scale: -1), QRRenderOptions(scale: 65),
        QRRenderOptions(border: -1), QRRenderOptions(border: 33), QRRenderOptions(scale: 0, border: 99),
    ])
    func invalidOptions(options: QRRenderOptions) throws {
        let code = try QRCode(text: "VCH1:TEST")
        expectQRError(.invalidOptions) { try options.validate() }
        for depth in [QRPNGBitDepth.one, .eight] {
            expectQRError(.invalidOptions) { try code.png(options: options, bitDepth: depth) }
        }
        expectQRError(.invalidOptions) { try code.svg(options: options) }
    }

    @Test func optionBoundsAreAccepted() throws {
        for options in [QRRenderOptions(scale: 1, border: 0), QRRenderOptions(scale: 64, border: 32)] {
            try options.validate()
        }
        #expect(QRRenderOptions.scaleRange == 1...64)
        #expect(QRRenderOptions.borderRange == 0...32)
        let invalid = try #require(qrError { try QRRenderOptions(scale: 65).validate() })
        #expect(invalid.reason.contains("scale 65"))
    }

    // MARK: Helpers

    static func chunks(_ png: [UInt8]) throws -> [Chunk] {
        var chunks: [Chunk] = []
        var offset = 8
        while offset < png.count {
            try #require(offset + 12 <= png.count, "chunk header past the end")
            let length = Int(readBigEndian(png, at: offset))
            try #require(offset + 12 + length <= png.count, "chunk data past the end")
            let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let data = Array(png[(offset + 8)..<(offset + 8 + length)])
            chunks.append(Chunk(type: type, data: data, crc: readBigEndian(png, at: offset + 8 + length)))
            offset += 12 + length
        }
        return chunks
    }

    /// Pixel by pixel from `isDark`, the slow obvious way.
    static func referenceScanlines(_ code: QRCode, options: QRRenderOptions, depth: QRPNGBitDepth) -> [UInt8] {
        let modules = code.size + 2 * options.border
        let side = modules * options.scale
        var result: [UInt8] = []
        for py in 0..<side {
            result.append(0)
            var row = [UInt8](repeating: depth == .one ? 0 : 255, count: depth == .one ? (side + 7) / 8 : side)
            for px in 0..<side {
                let x = px / options.scale - options.border
                let y = py / options.scale - options.border
                let dark = (0..<code.size).contains(x) && (0..<code.size).contains(y) && code.isDark(x: x, y: y)
                if depth == .eight {
                    row[px] = dark ? 0 : 255
                } else if !dark {
                    row[px / 8] |= 0x80 >> UInt8(px % 8)
                }
            }
            if depth == .one && side % 8 != 0 {
                // Padding bits are ours to choose; the encoder writes ones.
                row[row.count - 1] |= 0xFF >> UInt8(side % 8)
            }
            result += row
        }
        return result
    }

    static func bigEndian(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
