/// Why a Status List Token was not taken into a ``StatusListCache``.
///
/// A list that is refused leaves the cache as it was: lookups keep using the
/// previous list for that URI (while it is fresh enough) or answer
/// `unavailable`. Two errors are equal when their codes are.
public struct StatusListError: Error, Hashable, CustomStringConvertible {
    /// What was wrong, as an extensible set.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case malformed
            case tooLarge = "too_large"
            case unsupportedAlgorithm = "unsupported_alg"
            case unknownIssuer = "unknown_issuer"
            case untrustedIssuer = "untrusted_issuer"
            case badSignature = "bad_signature"
            case notYetValid = "not_yet_valid"
            case expired
            case superseded
            case io
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// Not a Status List Token of format.md §4 (shape, headers, claims, zlib).
        public static let malformed = Code(.malformed)
        /// The token or its inflated list is over the limits of format.md §2.
        public static let tooLarge = Code(.tooLarge)
        /// An `alg` other than ES256 or EdDSA.
        public static let unsupportedAlgorithm = Code(.unsupportedAlgorithm)
        /// No certificate in the trust store has the token's `kid`.
        public static let unknownIssuer = Code(.unknownIssuer)
        /// The certificate does not chain to a trusted root, or was not valid at `iat`.
        public static let untrustedIssuer = Code(.untrustedIssuer)
        /// The signature does not verify.
        public static let badSignature = Code(.badSignature)
        /// `iat` is later than the fetch time (beyond the allowed skew).
        public static let notYetValid = Code(.notYetValid)
        /// `exp` is not after the fetch time.
        public static let expired = Code(.expired)
        /// The cache already holds a newer list for the same URI (an old list replayed).
        public static let superseded = Code(.superseded)
        /// Reading or writing the cache directory failed.
        public static let io = Code(.io)

        /// A stable snake_case name for logs and metrics.
        public var name: String { value.rawValue }
        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What exactly was wrong, for logs.
    public let reason: String
    public let file: String
    public let line: UInt

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public static func == (lhs: StatusListError, rhs: StatusListError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "StatusListError.\(code): \(reason)" }
}
