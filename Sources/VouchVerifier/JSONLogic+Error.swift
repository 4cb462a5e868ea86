/// Why a JSON-Logic rule is invalid or could not be evaluated.
///
/// Evaluation never crashes and never runs unbounded: every failure, including
/// a rule that is too deep or too much work, is one of these. Equality
/// compares the code only.
public struct LogicError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidExpression = "invalid_expression"
            case unknownOperator = "unknown_operator"
            case wrongArity = "wrong_arity"
            case typeMismatch = "type_mismatch"
            case invalidDate = "invalid_date"
            case depthLimitExceeded = "depth_limit_exceeded"
            case sizeLimitExceeded = "size_limit_exceeded"
            case operationLimitExceeded = "operation_limit_exceeded"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// An object that is not an operation (not exactly one key), or a malformed `var`.
        public static let invalidExpression = Code(.invalidExpression)
        /// An operator this evaluator does not know; the reason names it.
        public static let unknownOperator = Code(.unknownOperator)
        /// An operator with the wrong number of operands.
        public static let wrongArity = Code(.wrongArity)
        /// An operand of the wrong type, e.g. a string where `<` needs a number.
        public static let typeMismatch = Code(.typeMismatch)
        /// A string that is not a date or date-time in an accepted form, or a result out of range.
        public static let invalidDate = Code(.invalidDate)
        /// The rule nests deeper than ``JSONLogic/Limits/maximumDepth``.
        public static let depthLimitExceeded = Code(.depthLimitExceeded)
        /// The rule has more nodes than ``JSONLogic/Limits/maximumNodes``.
        public static let sizeLimitExceeded = Code(.sizeLimitExceeded)
        /// Evaluation took more than ``JSONLogic/Limits/maximumOperations`` steps.
        public static let operationLimitExceeded = Code(.operationLimitExceeded)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// What is wrong, for a human (names the operator or operand).
    public let reason: String
    /// Where in the rule, e.g. `and[1].plusTime[2]`; set by validation, `nil` at evaluation.
    public let location: String?

    public init(_ code: Code, _ reason: String, location: String? = nil) {
        self.code = code
        self.reason = reason
        self.location = location
    }

    public var description: String {
        if let location, !location.isEmpty { return "at \(location): \(reason)" }
        return reason
    }

    public static func == (lhs: LogicError, rhs: LogicError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    func located(at location: String) -> LogicError {
        LogicError(code, reason, location: self.location ?? location)
    }
}
