import Foundation
import Testing
import VouchQR

/// Our PNG and SVG output, read back by independent decoders: zbarimg and zxing-cpp.
@Suite struct DecodeTests {
    static let texts: [String] = [
        "VCH1:HELLO",
        "https://id.example.org/status/7?idx=42",
        "Grüße, 年齢確認 ✓",
        TestTexts.vouch(count: 280),
        TestTexts.vouch(count: 1500),
        TestTexts.vouch(count: TestTexts.version40MediumAlphanumericCapacity),
    ]

    static let variants: [(name: String, options: QRRenderOptions, depth: QRPNGBitDepth)] = [
        ("1bit-s8", QRRenderOptions(), .one),
        ("1bit-s3", QRRenderOptions(scale: 3, border: 4), .one),
        ("8bit-s4", QRRenderOptions(scale: 4, border: 4), .eight),
        ("8bit-s2-b2", QRRenderOptions(scale: 2, border: 2), .eight),
    ]

    @Test(arguments: 0..<texts.count)
    func pngAndSVGDecode(index: Int) throws {
        let text = Self.texts[index]
        let code = try QRCode(text: text)
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        var files: [URL] = []
        for variant in Self.variants {
            let file = directory.appendingPathComponent("\(variant.name).png")
            try Data(code.png(options: variant.options, bitDepth: variant.depth)).write(to: file)
            files.append(file)
        }
        let svg = directory.appendingPathComponent("code.svg")
        try Data(code.svg(options: QRRenderOptions(scale: 4)).utf8).write(to: svg)

        for file in files {
            #expect(try ExternalDecoders.zbar(file) == text, "zbarimg \(file.lastPathComponent)")
        }
        let zxing = try ExternalDecoders.zxing(files + [svg])
        let expected = ExternalDecoders.ZXingResult(text: text, version: String(code.version), ecLevel: "M")
        for file in files + [svg] {
            #expect(zxing[file.path] == [expected], "zxing-cpp \(file.lastPathComponent)")
        }
    }

    /// The longest text that fits at ECC L (more than fits at M), drawn small.
    @Test func largestSymbolAtLowErrorCorrection() throws {
        let text = TestTexts.vouch(count: 4096)
        let code = try QRCode(text: text, errorCorrection: .low)
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("v40-low.png")
        try Data(code.png(options: QRRenderOptions(scale: 3))).write(to: file)
        #expect(try ExternalDecoders.zbar(file) == text)
        let zxing = try ExternalDecoders.zxing([file])
        #expect(zxing[file.path] == [.init(text: text, version: "40", ecLevel: "L")])
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vouch-qr-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
