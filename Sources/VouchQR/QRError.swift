/// A failure to encode or render a QR code: a code to act on and a reason for logs.
///
/// Two errors are equal when their codes are; the reason is for humans only.
public struct QRError: Error, Hashable, CustomStringConvertible {
    /// What went wrong, as an extensible set.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case emptyText, textTooLong, invalidText, invalidOptions, `internal`
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The text is empty: there is nothing to encode.
        public static let emptyText = Code(.emptyText)
        /// The text does not fit in a version 40 symbol at the requested error correction (ERANGE).
        public static let textTooLong = Code(.textTooLong)
        /// The text cannot be encoded: it contains a NUL character, or libqrencode rejected it (EINVAL).
        public static let invalidText = Code(.invalidText)
        /// A rendering option (scale, border) is outside its allowed range.
        public static let invalidOptions = Code(.invalidOptions)
        /// libqrencode or zlib failed for a reason unrelated to the input (memory).
        public static let `internal` = Code(.internal)

        public var description: String {
            switch value {
            case .emptyText: "emptyText"
            case .textTooLong: "textTooLong"
            case .invalidText: "invalidText"
            case .invalidOptions: "invalidOptions"
            case .internal: "internal"
            }
        }
    }

    public let code: Code
    public let reason: String
    public let file: String
    public let line: UInt

    init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public static func == (lhs: QRError, rhs: QRError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "QRError.\(code): \(reason)" }
}
