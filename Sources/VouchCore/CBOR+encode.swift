extension CBOR {
    /// The deterministic encoding of this item (RFC 8949 §4.2.1).
    ///
    /// Integers and lengths take their shortest form, floats the shortest
    /// width that keeps their value, and map entries are ordered by the bytes
    /// of their encoded keys.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        encode(into: &out)
        return out
    }

    /// Appends the deterministic encoding of this item to `out`.
    public func encode(into out: inout [UInt8]) {
        switch self {
        case .unsigned(let n): CBOR.writeHead(0, n, into: &out)
        case .negative(let n): CBOR.writeHead(1, n, into: &out)
        case .bytes(let b):
            CBOR.writeHead(2, UInt64(b.count), into: &out)
            out.append(contentsOf: b)
        case .text(let s):
            CBOR.writeHead(3, UInt64(s.utf8.count), into: &out)
            out.append(contentsOf: s.utf8)
        case .array(let elements):
            CBOR.writeHead(4, UInt64(elements.count), into: &out)
            for element in elements { element.encode(into: &out) }
        case .map(let pairs):
            CBOR.writeHead(5, UInt64(pairs.count), into: &out)
            let inOrder = zip(pairs, pairs.dropFirst()).allSatisfy { CBOR.precedes($0.key, $1.key) }
            for pair in inOrder ? pairs : pairs.sorted(by: { CBOR.precedes($0.key, $1.key) }) {
                pair.key.encode(into: &out)
                pair.value.encode(into: &out)
            }
        case .tagged(let tag, let item):
            CBOR.writeHead(6, tag, into: &out)
            item.encode(into: &out)
        case .simple(let value):
            if value < 24 {
                out.append(0xe0 | value)
            } else {
                out.append(contentsOf: [0xf8, value])
            }
        case .bool(let b): out.append(b ? 0xf5 : 0xf4)
        case .null: out.append(0xf6)
        case .undefined: out.append(0xf7)
        case .float(let d): CBOR.writeFloat(d, into: &out)
        }
    }

    /// Whether `a` sorts before `b` in deterministic map order, i.e. whether
    /// `a.encoded()` is bytewise less than `b.encoded()` (RFC 8949 §4.2.1).
    ///
    /// Integers, text and byte strings are compared without encoding them:
    /// the major type is the top of the first byte; within a major type a
    /// shortest-form integer sorts by value and a string by length, then bytes.
    static func precedes(_ a: CBOR, _ b: CBOR) -> Bool {
        switch (a, b) {
        case (.unsigned(let x), .unsigned(let y)), (.negative(let x), .negative(let y)):
            return x < y
        case (.text(let x), .text(let y)):
            let xs = x.utf8, ys = y.utf8
            return xs.count != ys.count ? xs.count < ys.count : xs.lexicographicallyPrecedes(ys)
        case (.bytes(let x), .bytes(let y)):
            return x.count != y.count ? x.count < y.count : x.lexicographicallyPrecedes(y)
        default:
            let ma = a.majorType, mb = b.majorType
            if ma != mb { return ma < mb }
            return a.encoded().lexicographicallyPrecedes(b.encoded())
        }
    }

    /// The major type (top three bits of the first encoded byte).
    var majorType: UInt8 {
        switch self {
        case .unsigned: return 0
        case .negative: return 1
        case .bytes: return 2
        case .text: return 3
        case .array: return 4
        case .map: return 5
        case .tagged: return 6
        case .simple, .bool, .null, .undefined, .float: return 7
        }
    }

    /// Writes an initial byte and its argument in the shortest form.
    static func writeHead(_ major: UInt8, _ argument: UInt64, into out: inout [UInt8]) {
        let m = major << 5
        switch argument {
        case 0..<24: out.append(m | UInt8(argument))
        case 24...0xff: out.append(contentsOf: [m | 24, UInt8(argument)])
        case 0x100...0xffff: out.append(m | 25); appendBigEndian(argument, width: 2, into: &out)
        case 0x1_0000...0xffff_ffff: out.append(m | 26); appendBigEndian(argument, width: 4, into: &out)
        default: out.append(m | 27); appendBigEndian(argument, width: 8, into: &out)
        }
    }

    private static func appendBigEndian(_ value: UInt64, width: Int, into out: inout [UInt8]) {
        for i in stride(from: width - 1, through: 0, by: -1) {
            out.append(UInt8(truncatingIfNeeded: value >> (UInt64(i) * 8)))
        }
    }

    /// Preferred serialization of a float: the narrowest of half, single and
    /// double that represents the value exactly; NaN as the canonical half NaN.
    private static func writeFloat(_ d: Double, into out: inout [UInt8]) {
        if d.isNaN {
            out.append(contentsOf: [0xf9, 0x7e, 0x00])
            return
        }
        let single = Float(d)
        guard Double(single) == d else {
            out.append(0xfb)
            appendBigEndian(d.bitPattern, width: 8, into: &out)
            return
        }
        let half = Float16(single)
        if Float(half) == single {
            out.append(0xf9)
            appendBigEndian(UInt64(half.bitPattern), width: 2, into: &out)
        } else {
            out.append(0xfa)
            appendBigEndian(UInt64(single.bitPattern), width: 4, into: &out)
        }
    }
}
