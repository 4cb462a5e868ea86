internal import VouchCore

/// Bits per pixel of a grayscale PNG.
public enum QRPNGBitDepth: Sendable, Hashable {
    /// 1 bit per pixel: the smallest file, what every decoder reads.
    case one
    /// 8 bits per pixel, 0 (black) or 255 (white): for tools that mishandle 1-bit images.
    case eight

    var bits: UInt8 {
        switch self {
        case .one: 1
        case .eight: 8
        }
    }
}

extension QRCode {
    /// Renders the code as a grayscale PNG: black modules on white with a quiet zone.
    ///
    /// - Parameters:
    ///   - options: Pixels per module and quiet zone, 8 and 4 by default.
    ///   - bitDepth: ``QRPNGBitDepth/one`` (default, smallest) or ``QRPNGBitDepth/eight``.
    /// - Returns: The PNG file's bytes.
    /// - Throws: ``QRError`` with code `.invalidOptions` for a scale or border out of
    ///   range, `.internal` if compression fails.
    public func png(options: QRRenderOptions = QRRenderOptions(), bitDepth: QRPNGBitDepth = .one) throws -> [UInt8] {
        try options.validate()
        let side = (size + 2 * options.border) * options.scale
        let image = pngRows(options: options, bitDepth: bitDepth)
        let idat = PNGDeflater.zlibStream(rows: image.rows, rowLength: image.rowLength, repeats: image.repeats)
        return PNGEncoder.grayscale(width: side, height: side, bitDepth: bitDepth.bits, idat: idat)
    }

    /// The image as distinct scanlines (filter byte 0, then the samples) and how
    /// many times each occurs in a row: each module row is drawn once, and the
    /// quiet zone above and below is one white row.
    func pngRows(options: QRRenderOptions, bitDepth: QRPNGBitDepth) -> (rows: [UInt8], rowLength: Int, repeats: [Int]) {
        let scale = options.scale
        let border = options.border
        let side = (size + 2 * border) * scale
        let rowLength = 1 + (bitDepth == .one ? (side + 7) / 8 : side)
        // Filter byte 0, then white (1 bits, or 255) everywhere; padding bits at the end are ignored.
        var white = [UInt8](repeating: 0xFF, count: rowLength)
        white[0] = 0
        var rows: [UInt8] = []
        rows.reserveCapacity(rowLength * (size + 2))
        var repeats: [Int] = []
        repeats.reserveCapacity(size + 2)
        if border > 0 {
            rows += white
            repeats.append(border * scale)
        }
        var row = white
        for y in 0..<size {
            row.withUnsafeMutableBufferPointer { row in
                let samples = UnsafeMutableBufferPointer(rebasing: row[1...])
                samples.update(repeating: 0xFF)
                modules.withUnsafeBufferPointer { modules in
                    for x in 0..<size where modules[y * size + x] != 0 {
                        let first = (border + x) * scale
                        if bitDepth == .one {
                            for p in first..<(first + scale) { samples[p >> 3] &= ~(0x80 >> UInt8(p & 7)) }
                        } else {
                            UnsafeMutableBufferPointer(rebasing: samples[first..<(first + scale)]).update(repeating: 0)
                        }
                    }
                }
            }
            // Consecutive identical module rows are one distinct row repeated.
            if y > 0 && rows[(rows.count - rowLength)...].elementsEqual(row) {
                repeats[repeats.count - 1] += scale
            } else {
                rows += row
                repeats.append(scale)
            }
        }
        if border > 0 {
            rows += white
            repeats.append(border * scale)
        }
        return (rows, rowLength, repeats)
    }
}
