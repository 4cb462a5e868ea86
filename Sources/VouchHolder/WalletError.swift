/// Why a wallet operation failed, naming what was wrong (never a key or a code's contents).
public struct WalletError: Error, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case io, invalidDirectory = "invalid_directory", invalidCode = "invalid_code",
                                     keyMismatch = "key_mismatch", empty, signing }
        private let value: Value

        /// A file could not be read or written.
        public static let io = Code(value: .io)
        /// The directory is not a wallet, or one of its files is damaged.
        public static let invalidDirectory = Code(value: .invalidDirectory)
        /// A code to add does not decode, or is not holder-bound.
        public static let invalidCode = Code(value: .invalidCode)
        /// A code is bound to a key this wallet does not hold.
        public static let keyMismatch = Code(value: .keyMismatch)
        /// No unused, unexpired code is left to present.
        public static let empty = Code(value: .empty)
        /// A key could not be made or could not sign.
        public static let signing = Code(value: .signing)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public static func == (lhs: WalletError, rhs: WalletError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
    public var description: String { "\(code): \(reason)" }
}
