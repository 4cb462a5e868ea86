internal import VouchCore

/// A minimal PNG writer: signature, IHDR, one IDAT, IEND (PNG specification, third edition).
///
/// Only grayscale images with already-filtered scanlines are needed, so no
/// general image library is used.
enum PNGEncoder {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Builds a grayscale PNG file from filtered scanlines.
    ///
    /// - Parameters:
    ///   - width: Pixels per row.
    ///   - height: Rows.
    ///   - bitDepth: 1, 2, 4, 8 or 16.
    ///   - idat: The filtered image data (`height` rows of a filter byte and the
    ///     samples) as one zlib stream.
    /// - Returns: The PNG file.
    static func grayscale(width: Int, height: Int, bitDepth: UInt8, idat: [UInt8]) -> [UInt8] {
        var png = signature
        png.reserveCapacity(signature.count + 3 * 12 + 13 + idat.count)
        var header = [UInt8]()
        header.reserveCapacity(13)
        appendBigEndian(UInt32(width), to: &header)
        appendBigEndian(UInt32(height), to: &header)
        // Bit depth, colour type 0 (grayscale), compression 0, filter method 0, no interlace.
        header += [bitDepth, 0, 0, 0, 0]
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", idat, to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    private static func appendChunk(_ type: StaticString, _ data: [UInt8], to png: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &png)
        let typeStart = png.count
        type.withUTF8Buffer { png.append(contentsOf: $0) }
        png.append(contentsOf: data)
        // The CRC covers the chunk type and data, not the length.
        appendBigEndian(Zlib.crc32(png[typeStart...]), to: &png)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }
}
