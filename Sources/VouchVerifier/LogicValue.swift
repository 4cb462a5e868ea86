/// A JSON value as JSON-Logic rules and their data see it.
///
/// Numbers are `Double` as in JSON; the parser never produces a NaN or an
/// infinity, so `==` and hashing behave. Objects are unordered: two objects
/// are equal when they hold the same keys with equal values.
public enum LogicValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([LogicValue])
    case object([String: LogicValue])
}

// MARK: - Accessors

extension LogicValue {
    /// `true` for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The boolean, or `nil` for any other kind of value.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number, or `nil` for any other kind of value.
    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The number as an `Int` when it is integral and in range, else `nil`.
    public var integerValue: Int? {
        guard case .number(let value) = self, value.rounded(.towardZero) == value,
            let integer = Int(exactly: value)
        else { return nil }
        return integer
    }

    /// The string, or `nil` for any other kind of value.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, or `nil` for any other kind of value.
    public var arrayValue: [LogicValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The members, or `nil` for any other kind of value.
    public var objectValue: [String: LogicValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The JSON type name used in error messages ("null", "boolean", ...).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// CertLogic truthiness.
    ///
    /// Falsy: `false`, `null`, `0`, `""`, `[]` and `{}`; everything else is
    /// truthy. This is CertLogic's rule rather than JavaScript's: an empty
    /// object is falsy, so `{"var": "x"}` tests presence the same way for
    /// every kind of value.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .number(let value): value != 0
        case .string(let value): !value.isEmpty
        case .array(let value): !value.isEmpty
        case .object(let value): !value.isEmpty
        }
    }
}

// MARK: - Literals

extension LogicValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: LogicValue...) { self = .array(elements) }

    /// Builds an object; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, LogicValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
