/// A CBOR data item (RFC 8949).
///
/// Values are decoded by ``CBORDecoder`` under strict limits and encoded by
/// ``encoded()`` in the deterministic form of RFC 8949 §4.2.1: shortest
/// integer and length arguments, shortest float that keeps the value, and map
/// keys sorted by the bytewise order of their encodings.
public enum CBOR: Sendable {
    /// A major type 0 integer.
    case unsigned(UInt64)
    /// A major type 1 integer whose value is `-1 - n`.
    case negative(UInt64)
    case bytes([UInt8])
    case text(String)
    case array([CBOR])
    /// A map, in the order it was decoded or built; the encoder sorts it.
    case map([Pair])
    indirect case tagged(UInt64, CBOR)
    case simple(UInt8)
    case bool(Bool)
    case null
    case undefined
    case float(Double)

    /// One key/value entry of a map.
    public struct Pair: Sendable, Hashable {
        public var key: CBOR
        public var value: CBOR

        public init(_ key: CBOR, _ value: CBOR) {
            self.key = key
            self.value = value
        }
    }

    /// A signed integer as CBOR (major type 0 or 1).
    public static func int(_ value: Int64) -> CBOR {
        value >= 0 ? .unsigned(UInt64(value)) : .negative(UInt64(-1 - value))
    }
}

// MARK: - Accessors

extension CBOR {
    /// The value as a signed integer when it is an integer that fits `Int64`.
    public var int64: Int64? {
        switch self {
        case .unsigned(let n): return n <= UInt64(Int64.max) ? Int64(n) : nil
        case .negative(let n): return n <= UInt64(Int64.max) ? -1 - Int64(n) : nil
        default: return nil
        }
    }

    public var uint64: UInt64? {
        if case .unsigned(let n) = self { return n }
        return nil
    }

    public var textValue: String? {
        if case .text(let s) = self { return s }
        return nil
    }

    public var bytesValue: [UInt8]? {
        if case .bytes(let b) = self { return b }
        return nil
    }

    public var arrayValue: [CBOR]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var mapValue: [Pair]? {
        if case .map(let m) = self { return m }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Looks a key up in a map; `nil` for a missing key or a non-map value.
    public subscript(key key: CBOR) -> CBOR? {
        guard case .map(let pairs) = self else { return nil }
        return pairs.first(where: { $0.key == key })?.value
    }

    public subscript(key: String) -> CBOR? { self[key: .text(key)] }
    public subscript(key: Int64) -> CBOR? { self[key: .int(key)] }
}

extension [CBOR.Pair] {
    /// Whether a pair has `key`, looked for by index: `contains { $0.key == key }`
    /// copies every pair it looks at (a retain and a release per text or byte string).
    func containsKey(_ key: CBOR) -> Bool {
        for index in indices where self[index].key == key { return true }
        return false
    }
}

// MARK: - Equality

extension CBOR: Hashable {
    public static func == (lhs: CBOR, rhs: CBOR) -> Bool {
        switch (lhs, rhs) {
        case (.unsigned(let a), .unsigned(let b)): return a == b
        case (.negative(let a), .negative(let b)): return a == b
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.text(let a), .text(let b)): return a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)): return a == b
        case (.map(let a), .map(let b)): return a == b
        case (.tagged(let t, let a), .tagged(let u, let b)): return t == u && a == b
        case (.simple(let a), .simple(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null), (.undefined, .undefined): return true
        // Bit equality so that NaN equals NaN and a map can hold it as a key.
        case (.float(let a), .float(let b)): return a.bitPattern == b.bitPattern
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .unsigned(let n): hasher.combine(0); hasher.combine(n)
        case .negative(let n): hasher.combine(1); hasher.combine(n)
        case .bytes(let b): hasher.combine(2); hasher.combine(b)
        case .text(let s): hasher.combine(3); hasher.combine(Array(s.utf8))
        case .array(let a): hasher.combine(4); hasher.combine(a)
        case .map(let m): hasher.combine(5); hasher.combine(m)
        case .tagged(let t, let v): hasher.combine(6); hasher.combine(t); hasher.combine(v)
        case .simple(let s): hasher.combine(7); hasher.combine(s)
        case .bool(let b): hasher.combine(8); hasher.combine(b)
        case .null: hasher.combine(9)
        case .undefined: hasher.combine(10)
        case .float(let d): hasher.combine(11); hasher.combine(d.bitPattern)
        }
    }
}

// MARK: - Literals

extension CBOR: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral
{
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: CBOR...) { self = .array(elements) }
}
