/// A request the issuer refuses, naming the field that was wrong.
///
/// Messages describe the problem, never the value (a birth date or a name
/// must not reach a log through an error).
public struct IssuanceError: Error, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidField = "invalid_field", notEligible = "not_eligible", signing, clock
        }
        private let value: Value

        /// A field is missing, malformed or out of range.
        public static let invalidField = Code(value: .invalidField)
        /// The request is valid but no attestation can be issued (under every threshold asked for).
        public static let notEligible = Code(value: .notEligible)
        /// The signing key failed.
        public static let signing = Code(value: .signing)
        /// The issuer's clock puts `iat` outside its certificate's validity: every verifier would refuse the code.
        public static let clock = Code(value: .clock)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// The request field concerned (`birth_date`, `given_name`, ...), when there is one.
    public let field: String?
    public let message: String

    public init(_ code: Code, field: String?, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    static func invalid(_ field: String, _ message: String) -> IssuanceError {
        IssuanceError(.invalidField, field: field, message)
    }

    public var description: String {
        if let field { return "\(field): \(message)" }
        return message
    }
}
