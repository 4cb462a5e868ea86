public import Foundation

/// Why a staff action or a staff file operation failed.
public struct StaffError: Error, CustomStringConvertible, Sendable, Equatable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: String { case invalidID, invalidPIN, exists, refused, locked, corrupt, io }
        fileprivate let value: Value
        fileprivate init(_ value: Value) { self.value = value }

        /// The id is not of the allowed form.
        public static let invalidID = Code(.invalidID)
        /// The PIN is not 4 to 12 digits.
        public static let invalidPIN = Code(.invalidPIN)
        /// `add` of an id that exists.
        public static let exists = Code(.exists)
        /// Unknown id or wrong PIN.
        public static let refused = Code(.refused)
        /// Too many wrong PINs: locked until ``StaffError/retryAfter`` passes.
        public static let locked = Code(.locked)
        /// The staff file does not parse.
        public static let corrupt = Code(.corrupt)
        /// The staff file cannot be read or written.
        public static let io = Code(.io)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let reason: String
    /// Seconds until a locked account opens again.
    public let retryAfter: TimeInterval?
    /// Wrong PINs left before the account locks.
    public let triesLeft: Int?

    init(_ code: Code, _ reason: String, retryAfter: TimeInterval? = nil, triesLeft: Int? = nil) {
        self.code = code
        self.reason = reason
        self.retryAfter = retryAfter
        self.triesLeft = triesLeft
    }

    public var description: String { reason }

    public static func == (lhs: StaffError, rhs: StaffError) -> Bool { lhs.code == rhs.code }
}
