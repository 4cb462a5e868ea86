internal import VouchCore

/// A purpose-built deflate encoder for QR bitmaps: a zlib stream (RFC 1950) of
/// one fixed-Huffman block (RFC 1951 §3.2.6).
///
/// A QR bitmap is a few dozen distinct pixel rows, each repeated `scale`
/// times, and each row is runs of identical bytes. This encoder writes each
/// distinct row once (runs as a literal plus a distance-1 match) and its
/// repeats as matches at distance "one row back", so it never looks at the
/// repeated bytes at all; the Adler-32 of the repeats is computed in closed form.
///
/// Why not zlib: measured on a version 9 code (250 characters) at scale 8
/// (488 x 488 px), release build, on the 2-core dev machine where libqrencode's
/// encode alone takes ~118 us and the budget for the PNG is +50% of that:
///
/// | IDAT from                    | 1-bit size | 1-bit time | 8-bit size | 8-bit time |
/// |------------------------------|-----------:|-----------:|-----------:|-----------:|
/// | zlib level 9                 |     0.8 KB |    3100 us |     7.5 KB |    5800 us |
/// | zlib level 6                 |     0.8 KB |     260 us |     7.5 KB |    1900 us |
/// | zlib level 1                 |     1.5 KB |      33 us |      10 KB |     450 us |
/// | stored blocks + Adler-32     |      30 KB |      17 us |     239 KB |     317 us |
/// | this encoder, whole `png()`  |     3.1 KB |      17 us |     6.3 KB |      37 us |
///
/// The zlib rows exclude building the 30 KB / 239 KB of scanlines (~15 us);
/// the last row includes building the rows, the checksums and the chunks.
enum PNGDeflater {
    /// Compresses scanlines given as distinct rows, each repeated a number of times.
    ///
    /// - Parameters:
    ///   - rows: The distinct rows, `rowLength` bytes each, concatenated.
    ///   - rowLength: Bytes per row, filter byte included; at most 32768.
    ///   - repeats: How many times each row occurs, in order; each at least 1.
    /// - Returns: A zlib stream whose inflated form is every row repeated its number of times.
    static func zlibStream(rows: [UInt8], rowLength: Int, repeats: [Int]) -> [UInt8] {
        precondition(rowLength >= 3 && rowLength <= 32_768 && rows.count == rowLength * repeats.count)
        var writer = DeflateBitWriter(capacity: rows.count * 9 / 8 + 64)
        // CMF 0x78: deflate, 32 KiB window; FLG 0x01: makes CMF/FLG a multiple of 31, no dictionary.
        writer.bytes += [0x78, 0x01]
        // BFINAL = 1, BTYPE = 01 (fixed Huffman codes).
        writer.write(0b011, count: 3)
        let rowDistance = FixedHuffman.distanceCode(rowLength)
        let runDistance = FixedHuffman.distanceCode(1)
        var adler = Adler32()
        rows.withUnsafeBufferPointer { rows in
            for (index, repeatCount) in repeats.enumerated() {
                precondition(repeatCount >= 1)
                let row = UnsafeBufferPointer(rebasing: rows[(index * rowLength)..<((index + 1) * rowLength)])
                var i = 0
                while i < row.count {
                    let byte = row[i]
                    var end = i + 1
                    while end < row.count && row[end] == byte { end += 1 }
                    writer.writeLiteral(byte)
                    var rest = end - i - 1
                    if rest >= 3 {
                        writer.writeMatch(length: rest, distance: runDistance)
                        rest = 0
                    }
                    for _ in 0..<rest { writer.writeLiteral(byte) }
                    i = end
                }
                if repeatCount > 1 {
                    writer.writeMatch(length: rowLength * (repeatCount - 1), distance: rowDistance)
                }
                adler.append(row: row, times: repeatCount)
            }
        }
        // End of block (symbol 256: seven zero bits), pad to a byte, then the Adler-32, big-endian.
        writer.write(0, count: 7)
        writer.flush()
        let checksum = adler.value
        writer.bytes += [UInt8(truncatingIfNeeded: checksum >> 24), UInt8(truncatingIfNeeded: checksum >> 16),
                         UInt8(truncatingIfNeeded: checksum >> 8), UInt8(truncatingIfNeeded: checksum)]
        return writer.bytes
    }
}

extension PNGDeflater {
    /// Adler-32 (RFC 1950) of rows that each repeat several times, without reading the repeats.
    struct Adler32 {
        private static let modulus: UInt64 = 65_521
        private var a: UInt64 = 1
        private var b: UInt64 = 0

        var value: UInt32 { UInt32(b << 16 | a) }

        /// Appends `times` copies of `row`.
        ///
        /// For bytes d1...dn with sum S and weighted sum W = sum((n - i + 1) * di),
        /// A grows by S and B by n * A + W; k copies have sum kS and weighted sum
        /// kW + nS * k(k - 1) / 2.
        mutating func append(row: UnsafeBufferPointer<UInt8>, times: Int) {
            let m = Self.modulus
            let rowChecksum = UInt64(Zlib.adler32(row))
            let n = UInt64(row.count) % m
            let sum = (rowChecksum & 0xFFFF + m - 1) % m
            let weighted = (rowChecksum >> 16 + m - n) % m
            let k = UInt64(times)
            let copies = k % m
            let pairs = (k * (k - 1) / 2) % m
            b = (b + (copies * n % m) * a + copies * weighted + (n * sum % m) * pairs) % m
            a = (a + copies * sum) % m
        }
    }
}
