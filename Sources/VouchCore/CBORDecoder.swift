/// Limits a decode runs under; format.md §2 sets the defaults.
public struct CBORLimits: Sendable, Hashable {
    /// The deepest nesting of arrays, maps and tags; the top-level item is depth 1.
    public var maximumDepth: Int
    /// The most data items in one decode, counting map keys and values.
    public var maximumItems: Int

    public init(maximumDepth: Int = 16, maximumItems: Int = 1024) {
        self.maximumDepth = maximumDepth
        self.maximumItems = maximumItems
    }

    public static let `default` = CBORLimits()
}

/// A strict, bounded CBOR decoder.
///
/// Rejects indefinite lengths, duplicate map keys, reserved additional
/// information, lengths past the end of input and trailing bytes. Every length
/// is checked against the bytes that remain before anything is allocated, so
/// no input makes it allocate more than a small multiple of its own size.
/// Non-minimal integer and length encodings are accepted (a signature covers
/// bytes, not values); the encoder never writes them.
public struct CBORDecoder {
    // The input is read through a pointer for the length of `decode` only: one
    // bounds check per read instead of the array's, and no retain per access
    // (this decoder runs four times per presentation verify at a till).
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maximumDepth: Int
    private let maximumItems: Int
    private var position = 0
    private var items = 0

    /// Decodes exactly one data item that fills `bytes`.
    ///
    /// - Throws: ``CBORError`` naming the first problem and its offset.
    public static func decode(_ bytes: [UInt8], limits: CBORLimits = .default) throws(CBORError) -> CBOR {
        try bytes.withUnsafeBufferPointer { (buffer) throws(CBORError) -> CBOR in
            var decoder = CBORDecoder(bytes: buffer, limits: limits)
            let item = try decoder.decodeItem(depth: 1)
            guard decoder.position == buffer.count else {
                throw CBORError(.trailingBytes, "\(buffer.count - decoder.position) bytes after the item",
                                offset: decoder.position)
            }
            return item
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, limits: CBORLimits) {
        self.bytes = bytes
        self.maximumDepth = limits.maximumDepth
        self.maximumItems = limits.maximumItems
    }

    private var remaining: Int { bytes.count - position }

    @inline(__always)
    private mutating func readByte() throws(CBORError) -> UInt8 {
        guard position < bytes.count else { throw CBORError(.truncated, "input ends inside an item", offset: position) }
        let byte = bytes[position]
        position += 1
        return byte
    }

    private mutating func readUInt(_ width: Int) throws(CBORError) -> UInt64 {
        guard remaining >= width else {
            throw CBORError(.truncated, "argument needs \(width) bytes, \(remaining) left", offset: position)
        }
        var value: UInt64 = 0
        for i in 0..<width { value = value << 8 | UInt64(bytes[position + i]) }
        position += width
        return value
    }

    private mutating func readBytes(_ count: UInt64) throws(CBORError) -> UnsafeBufferPointer<UInt8> {
        guard count <= UInt64(remaining) else {
            throw CBORError(.truncated, "length \(count) runs past the end (\(remaining) bytes left)", offset: position)
        }
        let start = position
        position += Int(count)
        return UnsafeBufferPointer(rebasing: bytes[start..<position])
    }

    /// Reads the argument of an initial byte; `nil` means indefinite length (31).
    @inline(__always)
    private mutating func readArgument(_ info: UInt8, at offset: Int) throws(CBORError) -> UInt64? {
        switch info {
        case 0..<24: return UInt64(info)
        case 24: return try readUInt(1)
        case 25: return try readUInt(2)
        case 26: return try readUInt(4)
        case 27: return try readUInt(8)
        case 31: return nil
        default: throw CBORError(.reservedAdditionalInfo, "additional information \(info) is reserved", offset: offset)
        }
    }

    @inline(__always)
    private mutating func countItem(at offset: Int) throws(CBORError) {
        items += 1
        guard items <= maximumItems else {
            throw CBORError(.tooManyItems, "more than \(maximumItems) data items", offset: offset)
        }
    }

    @inline(__always)
    private func definite(_ argument: UInt64?, _ what: StaticString, at offset: Int) throws(CBORError) -> UInt64 {
        guard let argument else {
            throw CBORError(.indefiniteLength, "indefinite-length \(what)", offset: offset)
        }
        return argument
    }

    private mutating func decodeItem(depth: Int) throws(CBORError) -> CBOR {
        let offset = position
        guard depth <= maximumDepth else {
            throw CBORError(.tooDeep, "nesting deeper than \(maximumDepth)", offset: offset)
        }
        try countItem(at: offset)
        let initial = try readByte()
        let major = initial >> 5
        let info = initial & 0x1f
        if major == 7 { return try decodeSimple(info, at: offset) }
        let argument = try readArgument(info, at: offset)

        switch major {
        case 0:
            return .unsigned(try definite(argument, "integer", at: offset))
        case 1:
            return .negative(try definite(argument, "integer", at: offset))
        case 2:
            let length = try definite(argument, "byte string", at: offset)
            return .bytes(Array(try readBytes(length)))
        case 3:
            let length = try definite(argument, "text string", at: offset)
            let raw = try readBytes(length)
            // Every text of a Vouch code is ASCII, which is valid UTF-8 as it
            // stands; `String(validating:)` costs about 1k instructions a string.
            if raw.allSatisfy({ $0 < 0x80 }) { return .text(String(decoding: raw, as: UTF8.self)) }
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw CBORError(.invalidUTF8, "text string is not valid UTF-8", offset: offset)
            }
            return .text(text)
        case 4:
            let count = try definite(argument, "array", at: offset)
            try checkCount(count, perElement: 1, at: offset)
            var elements: [CBOR] = []
            elements.reserveCapacity(Int(count))
            for _ in 0..<count { elements.append(try decodeItem(depth: depth + 1)) }
            return .array(elements)
        case 5:
            let count = try definite(argument, "map", at: offset)
            try checkCount(count, perElement: 2, at: offset)
            var pairs: [CBOR.Pair] = []
            pairs.reserveCapacity(Int(count))
            // Small maps (every map in a Vouch code) check keys pairwise; large ones hash.
            var seen = count > 16 ? Set<CBOR>() : nil
            for _ in 0..<count {
                let keyOffset = position
                let key = try decodeItem(depth: depth + 1)
                let duplicate: Bool
                if seen != nil {
                    duplicate = !seen!.insert(key).inserted
                } else {
                    duplicate = pairs.containsKey(key)
                }
                guard !duplicate else {
                    throw CBORError(.duplicateKey, "map key \(key.diagnostic) appears twice", offset: keyOffset)
                }
                pairs.append(CBOR.Pair(key, try decodeItem(depth: depth + 1)))
            }
            return .map(pairs)
        default:  // 6: tag
            let tag = try definite(argument, "tag", at: offset)
            return .tagged(tag, try decodeItem(depth: depth + 1))
        }
    }

    /// Refuses a count that the remaining input or item budget cannot hold,
    /// before any storage is reserved for it.
    private func checkCount(_ count: UInt64, perElement: UInt64, at offset: Int) throws(CBORError) {
        let (needed, overflow) = count.multipliedReportingOverflow(by: perElement)
        guard !overflow, needed <= UInt64(remaining) else {
            throw CBORError(.truncated, "\(count) elements cannot fit in \(remaining) bytes", offset: offset)
        }
        guard needed <= UInt64(maximumItems - items) else {
            throw CBORError(.tooManyItems, "more than \(maximumItems) data items", offset: offset)
        }
    }

    private mutating func decodeSimple(_ info: UInt8, at offset: Int) throws(CBORError) -> CBOR {
        switch info {
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22: return .null
        case 23: return .undefined
        case 0..<20: return .simple(info)
        case 24:
            let value = UInt8(try readUInt(1))
            guard value >= 32 else {
                throw CBORError(.invalidSimpleValue, "simple value \(value) must use the one-byte form",
                                offset: offset)
            }
            return .simple(value)
        case 25: return .float(Double(halfBits: UInt16(try readUInt(2))))
        case 26: return .float(Double(Float(bitPattern: UInt32(try readUInt(4)))))
        case 27: return .float(Double(bitPattern: try readUInt(8)))
        case 31: throw CBORError(.unsupportedBreak, "break outside an indefinite-length item", offset: offset)
        default: throw CBORError(.reservedAdditionalInfo, "additional information \(info) is reserved", offset: offset)
        }
    }
}

extension Double {
    /// Widens an IEEE 754 binary16 value.
    init(halfBits: UInt16) {
        let sign: Double = halfBits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((halfBits >> 10) & 0x1f)
        let mantissa = Double(halfBits & 0x3ff)
        switch exponent {
        case 0: self = sign * mantissa * 0x1p-24
        case 31: self = mantissa == 0 ? sign * .infinity : .nan
        default: self = sign * (1 + mantissa / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
