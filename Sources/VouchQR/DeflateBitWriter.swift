internal import VouchCore

/// A Huffman code or code plus extra bits, ready to write least significant bit first.
struct DeflateCode {
    var bits: UInt32
    var count: Int
}

/// The fixed Huffman codes of deflate (RFC 1951 §3.2.6), bit-reversed for an LSB-first writer.
enum FixedHuffman {
    /// Literal bytes 0...255.
    static let literals: [DeflateCode] = (0..<256).map(symbol)
    /// Match lengths 3...258 (indices 0...2 unused): length symbol plus extra bits.
    static let lengths: [DeflateCode] = (0...258).map { $0 < 3 ? DeflateCode(bits: 0, count: 0) : lengthCode($0) }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                     35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                       257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
                                       8193, 12289, 16385, 24577]

    /// The code of a literal/length symbol 0...287.
    static func symbol(_ symbol: Int) -> DeflateCode {
        switch symbol {
        case 0..<144: reversed(0x30 + symbol, count: 8)
        case 144..<256: reversed(0x190 + symbol - 144, count: 9)
        case 256..<280: reversed(symbol - 256, count: 7)
        default: reversed(0xC0 + symbol - 280, count: 8)
        }
    }

    /// Length symbol and extra bits for a match length 3...258.
    static func lengthCode(_ length: Int) -> DeflateCode {
        // The last base not above the length: 258 must use symbol 285, not 284 with extra bits 31.
        let index = lengthBase.lastIndex { $0 <= length }!
        let extraCount = (index < 8 || index == 28) ? 0 : (index - 4) / 4
        let code = symbol(257 + index)
        return DeflateCode(bits: code.bits | UInt32(length - lengthBase[index]) << code.count,
                           count: code.count + extraCount)
    }

    /// Distance code (five bits) and extra bits for a distance 1...32768.
    static func distanceCode(_ distance: Int) -> DeflateCode {
        precondition((1...32_768).contains(distance))
        let index = distanceBase.lastIndex { $0 <= distance }!
        let extraCount = index < 4 ? 0 : index / 2 - 1
        let code = reversed(index, count: 5)
        return DeflateCode(bits: code.bits | UInt32(distance - distanceBase[index]) << 5, count: 5 + extraCount)
    }

    /// Huffman codes are defined most significant bit first; the stream is filled LSB first.
    private static func reversed(_ value: Int, count: Int) -> DeflateCode {
        var result: UInt32 = 0
        for bit in 0..<count where value & (1 << (count - 1 - bit)) != 0 {
            result |= 1 << bit
        }
        return DeflateCode(bits: result, count: count)
    }
}

/// Writes deflate symbols into bytes, least significant bit first.
struct DeflateBitWriter {
    var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var bufferedBits = 0
    private let literals = FixedHuffman.literals
    private let lengths = FixedHuffman.lengths

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends `count` bits (at most 32) of `bits`, least significant first.
    mutating func write(_ bits: UInt64, count: Int) {
        buffer |= bits << UInt64(bufferedBits)
        bufferedBits += count
        if bufferedBits >= 32 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            bytes.append(UInt8(truncatingIfNeeded: buffer >> 8))
            bytes.append(UInt8(truncatingIfNeeded: buffer >> 16))
            bytes.append(UInt8(truncatingIfNeeded: buffer >> 24))
            buffer >>= 32
            bufferedBits -= 32
        }
    }

    mutating func writeLiteral(_ byte: UInt8) {
        let code = literals[Int(byte)]
        write(UInt64(code.bits), count: code.count)
    }

    /// Writes a copy of `length` (at least 3) bytes from `distance` back, as matches of at most 258.
    mutating func writeMatch(length: Int, distance: DeflateCode) {
        precondition(length >= 3)
        var rest = length
        while rest > 0 {
            var chunk = min(rest, 258)
            // Never leave a tail of 1 or 2 bytes: the shortest match is 3.
            if rest - chunk > 0 && rest - chunk < 3 { chunk = rest - 3 }
            let code = lengths[chunk]
            // At most 13 + 18 bits: one write.
            write(UInt64(code.bits) | UInt64(distance.bits) << UInt64(code.count), count: code.count + distance.count)
            rest -= chunk
        }
    }

    /// Pads the last byte with zero bits.
    mutating func flush() {
        while bufferedBits > 0 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            bufferedBits -= 8
        }
        buffer = 0
        bufferedBits = 0
    }
}

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
