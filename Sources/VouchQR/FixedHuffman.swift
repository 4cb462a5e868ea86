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
