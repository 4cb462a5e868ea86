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
    @inline(__always)
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

    @inline(__always)
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
