import Foundation
import Testing

/// Runs the QR decoders that the tests check our images against: zbarimg
/// (zbar-tools, reads PNG through ImageMagick) and zxing-cpp in the project's
/// Python venv (reads PNG through Pillow; SVG by drawing the path's rectangles).
enum ExternalDecoders {
    static let zbarimg = URL(fileURLWithPath: "/usr/bin/zbarimg")

    /// The package root, found from this file's path: Tests/VouchQRTests/ExternalDecoders.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let python = packageRoot.appendingPathComponent(".venv/bin/python")

    /// What zxing-cpp read from one file.
    struct ZXingResult: Decodable, Equatable {
        var text: String
        var version: String
        var ecLevel: String
    }

    /// The text zbarimg decodes from an image file, without its trailing newline; nil if none.
    static func zbar(_ file: URL) throws -> String? {
        try #require(
            FileManager.default.isExecutableFile(atPath: zbarimg.path),
            "zbarimg is missing at \(zbarimg.path): install zbar-tools (make deps)"
        )
        let (status, output, _) = try run(zbarimg, ["-q", "--raw", file.path])
        // Exit status 4: the image was read and held no symbol.
        guard status == 0 else { return nil }
        var text = String(decoding: output, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// What zxing-cpp decodes from each file (PNG, or an SVG from ``QRCode/svg(options:)``), by path.
    static func zxing(_ files: [URL]) throws -> [String: [ZXingResult]] {
        try #require(
            FileManager.default.isExecutableFile(atPath: python.path),
            "no Python venv at \(python.path): run make test (creates .venv)"
        )
        let (status, output, errors) = try run(python, ["-c", zxingScript] + files.map(\.path))
        try #require(
            status == 0,
            """
            zxing-cpp decoding failed (exit \(status)): \(String(decoding: errors, as: UTF8.self))
            run make test (creates .venv with requirements-test.txt: zxing-cpp, pillow)
            """
        )
        return try JSONDecoder().decode([String: [ZXingResult]].self, from: output)
    }

    private static func run(_ executable: URL, _ arguments: [String]) throws -> (Int32, Data, Data) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        // stderr goes to a file, so that neither pipe can fill up while the other is read.
        let errorFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("vouch-qr-stderr-\(UUID().uuidString)")
        try #require(FileManager.default.createFile(atPath: errorFile.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        defer { try? errorHandle.close() }
        process.standardError = errorHandle
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = (try? Data(contentsOf: errorFile)) ?? Data()
        return (process.terminationStatus, outputData, errorData)
    }

    /// Decodes each argument; SVGs are drawn from their path's `M x y h n v1 h-n z` runs.
    static let zxingScript = #"""
        import json, re, sys
        import xml.etree.ElementTree as ET
        import zxingcpp
        from PIL import Image, ImageDraw

        def svg_image(path):
            root = ET.parse(path).getroot()
            ns = {"svg": "http://www.w3.org/2000/svg"}
            side = int(root.get("viewBox").split()[2])
            scale = int(root.get("width")) // side
            image = Image.new("L", (side * scale, side * scale), 255)
            draw = ImageDraw.Draw(image)
            (path_element,) = root.findall("svg:path", ns)
            d = path_element.get("d")
            runs = re.findall(r"M(\d+) (\d+)h(\d+)v1h-(\d+)z", d)
            assert "".join("M%s %sh%sv1h-%sz" % r for r in runs) == d, "unexpected path syntax"
            for x, y, n, back in runs:
                x, y, n = int(x), int(y), int(n)
                assert int(back) == n
                draw.rectangle([x * scale, y * scale, (x + n) * scale - 1, (y + 1) * scale - 1], fill=0)
            return image

        results = {}
        for path in sys.argv[1:]:
            if path.endswith(".svg"):
                image = svg_image(path)
            else:
                image = Image.open(path)
                image.load()
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            results[path] = [
                {"text": b.text, "version": str(b.extra.get("Version")), "ecLevel": b.ec_level}
                for b in found
            ]
        print(json.dumps(results))
        """#
}
