/// An error thrown by VouchStore when a read or write cannot be carried out.
///
/// Errors compare by ``code`` only. ``reason`` is for operators and logs: it
/// names fields and identifiers but never a secret, a token or a personal
/// attribute, and the HTTP layer must not echo it to clients verbatim.
public struct StoreError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure; extensible without breaking source compatibility.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: String, Hashable, Sendable {
            case invalidInput = "invalid_input"
            case duplicate
            case notFound = "not_found"
            case invalidTransition = "invalid_transition"
            case corrupt
            case unsupportedSchema = "unsupported_schema"
            case database
            case expired
            case conflict
            case rateLimited = "rate_limited"
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// A field is malformed (wrong length, empty, out of range).
        public static let invalidInput = Code(.invalidInput)
        /// A unique value (attestation id, token hash, status slot) already exists.
        public static let duplicate = Code(.duplicate)
        /// No row with that identifier.
        public static let notFound = Code(.notFound)
        /// The requested state change is not allowed (a revocation is final).
        public static let invalidTransition = Code(.invalidTransition)
        /// Stored data contradicts itself (log indices with a gap, a bad tile).
        public static let corrupt = Code(.corrupt)
        /// The database was written by a newer Vouch whose migrations this build does not know.
        public static let unsupportedSchema = Code(.unsupportedSchema)
        /// SQLite or the file system failed.
        public static let database = Code(.database)
        /// A time-limited value (a wallet offer) has passed its end.
        public static let expired = Code(.expired)
        /// Another node changed the row first (the integrator's compare-and-swap on PostgreSQL).
        public static let conflict = Code(.conflict)
        /// A wallet refreshed more often than its ``RefreshLimit`` allows; ``StoreError/retryAfter`` says when it may.
        public static let rateLimited = Code(.rateLimited)

        /// A stable snake_case name, usable as a problem `type` suffix or metric label.
        public var name: String { backing.rawValue }
        public var description: String { backing.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// A human-readable explanation for logs.
    public let reason: String
    /// For ``Code/rateLimited``: the whole seconds until the refused request would pass.
    public let retryAfter: Int?
    /// The source file that raised the error.
    public let file: String
    /// The source line that raised the error.
    public let line: Int

    /// Creates an error.
    public init(code: Code, reason: String, retryAfter: Int? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.retryAfter = retryAfter
        self.file = file
        self.line = line
    }

    public static func == (lhs: StoreError, rhs: StoreError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    public var description: String {
        "StoreError.\(code): \(reason)"
    }
}
