/// Why a CBOR item could not be decoded.
///
/// Compared by ``code`` only, so tests and callers can match on the kind of
/// failure while ``reason`` says where it happened.
public struct CBORError: Error, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case truncated, trailingBytes, indefiniteLength, duplicateKey, tooDeep, tooManyItems
            case invalidUTF8, reservedAdditionalInfo, invalidSimpleValue, unsupportedBreak
        }
        private let value: Value

        /// A length or argument runs past the end of the input.
        public static let truncated = Code(value: .truncated)
        /// Bytes follow the top-level item.
        public static let trailingBytes = Code(value: .trailingBytes)
        /// An indefinite-length string, array or map (not allowed here).
        public static let indefiniteLength = Code(value: .indefiniteLength)
        /// A map has the same key twice.
        public static let duplicateKey = Code(value: .duplicateKey)
        /// Nesting deeper than the limit.
        public static let tooDeep = Code(value: .tooDeep)
        /// More data items than the limit.
        public static let tooManyItems = Code(value: .tooManyItems)
        /// A text string that is not valid UTF-8.
        public static let invalidUTF8 = Code(value: .invalidUTF8)
        /// Additional information 28, 29 or 30.
        public static let reservedAdditionalInfo = Code(value: .reservedAdditionalInfo)
        /// A two-byte simple value below 32 (RFC 8949 §3.3).
        public static let invalidSimpleValue = Code(value: .invalidSimpleValue)
        /// A "break" stop code outside an indefinite-length item.
        public static let unsupportedBreak = Code(value: .unsupportedBreak)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let reason: String
    public let offset: Int

    public init(_ code: Code, _ reason: String, offset: Int) {
        self.code = code
        self.reason = reason
        self.offset = offset
    }

    public static func == (lhs: CBORError, rhs: CBORError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "CBOR \(code) at byte \(offset): \(reason)" }
}
