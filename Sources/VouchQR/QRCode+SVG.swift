extension QRCode {
    /// Renders the code as an SVG document: a white square and one black `<path>`.
    ///
    /// The viewBox is in modules (quiet zone included) and `width`/`height` are
    /// `modules * scale` pixels, so the image stays sharp at any size. Each
    /// horizontal run of dark modules is one closed rectangle
    /// (`M x y h n v1 h-n z`), with `shape-rendering="crispEdges"` so that
    /// rasterizers do not anti-alias the seams between rows.
    ///
    /// - Parameter options: Pixel size of a module and quiet zone, 8 and 4 by default.
    /// - Returns: The SVG document, ending with a newline.
    /// - Throws: ``QRError`` with code `.invalidOptions` for a scale or border out of range.
    public func svg(options: QRRenderOptions = QRRenderOptions()) throws -> String {
        try options.validate()
        let border = options.border
        let modulesPerSide = size + 2 * border
        let pixels = modulesPerSide * options.scale
        // The path is most of the document (about 15 bytes per run): built as ASCII
        // bytes, since string interpolation per run cost more than the QR encode itself.
        var path: [UInt8] = []
        path.reserveCapacity(size * size * 4)
        modules.withUnsafeBufferPointer { modules in
            for y in 0..<size {
                let row = UnsafeBufferPointer(rebasing: modules[(y * size)..<((y + 1) * size)])
                var x = 0
                while x < size {
                    guard row[x] != 0 else {
                        x += 1
                        continue
                    }
                    var end = x + 1
                    while end < size && row[end] != 0 { end += 1 }
                    // "M x y h n v1 h-n z", without the optional spaces.
                    path.append(UInt8(ascii: "M"))
                    Self.appendDecimal(x + border, to: &path)
                    path.append(UInt8(ascii: " "))
                    Self.appendDecimal(y + border, to: &path)
                    path.append(UInt8(ascii: "h"))
                    Self.appendDecimal(end - x, to: &path)
                    path += [UInt8(ascii: "v"), UInt8(ascii: "1"), UInt8(ascii: "h"), UInt8(ascii: "-")]
                    Self.appendDecimal(end - x, to: &path)
                    path.append(UInt8(ascii: "z"))
                    x = end
                }
            }
        }
        let d = String(decoding: path, as: UTF8.self)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(modulesPerSide) \(modulesPerSide)">
            <rect width="\(modulesPerSide)" height="\(modulesPerSide)" fill="#fff"/>
            <path fill="#000" shape-rendering="crispEdges" d="\(d)"/>
            </svg>

            """
    }

    /// Appends a non-negative number below 1000 (coordinates and runs are at most 177 + 64).
    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        precondition((0..<1000).contains(value))
        if value >= 100 { bytes.append(UInt8(ascii: "0") + UInt8(value / 100)) }
        if value >= 10 { bytes.append(UInt8(ascii: "0") + UInt8(value / 10 % 10)) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
