/// A validated JSON-Logic rule in the CertLogic dialect, with hard limits.
///
/// The operators are CertLogic's subset of JsonLogic (`var`, `if`, `===`,
/// `<`, `<=`, `>`, `>=`, `and`, `!`, `in`, `plusTime`, `before`, `after`,
/// `not-before`, `not-after`) plus `!==`, `or` and `!!` from JsonLogic;
/// `Policies/README.md` documents each. Rules are evaluated against a data
/// object holding the attestation's claims and `now`.
///
/// Evaluation is bounded: ``Limits`` caps nesting depth, rule size and the
/// number of evaluation steps, and a rule that exceeds any of them fails with
/// a ``LogicError`` instead of crashing or running long. A terminal must treat
/// a thrown error as "rule not satisfied", as CertLogic advises.
public struct JSONLogic: Sendable, Hashable {
    /// Bounds on a rule and on one evaluation of it.
    public struct Limits: Sendable, Hashable {
        /// Deepest nesting of operations and array literals.
        public var maximumDepth: Int
        /// Most nodes (operations, literals) a rule may have.
        public var maximumNodes: Int
        /// Most evaluation steps: one per node evaluated, plus one per array
        /// element scanned by `in`, per value compared by `===` and per path
        /// segment followed by `var`.
        public var maximumOperations: Int

        public init(maximumDepth: Int = 32, maximumNodes: Int = 10_000, maximumOperations: Int = 10_000) {
            self.maximumDepth = maximumDepth
            self.maximumNodes = maximumNodes
            self.maximumOperations = maximumOperations
        }

        public static let `default` = Limits()
    }

    /// The rule as written.
    public let rule: LogicValue
    public let limits: Limits

    /// Validates a rule (see ``validate(_:limits:)``) and wraps it.
    ///
    /// - Throws: ``LogicError`` for the first problem found.
    public init(_ rule: LogicValue, limits: Limits = .default) throws(LogicError) {
        try Self.validate(rule, limits: limits)
        self.rule = rule
        self.limits = limits
    }

    /// Evaluates the rule against `data` and returns its value.
    ///
    /// - Parameter data: an object with the claims and `now`, as
    ///   ``LogicValue/ruleData(claims:now:)`` builds it.
    /// - Throws: ``LogicError`` on a type mismatch, a bad date, or a limit.
    public func evaluate(data: LogicValue) throws(LogicError) -> LogicValue {
        var evaluator = LogicEvaluator(data: data, limits: limits)
        return try evaluator.evaluate(rule, depth: 1)
    }

    /// Evaluates the rule and reports whether its value is truthy.
    ///
    /// - Throws: ``LogicError`` as ``evaluate(data:)`` does; callers deciding
    ///   an outcome treat it as "not satisfied".
    public func isSatisfied(by data: LogicValue) throws(LogicError) -> Bool {
        try evaluate(data: data).isTruthy
    }

    /// Validates and evaluates a rule in one step.
    public static func evaluate(_ rule: LogicValue, data: LogicValue, limits: Limits = .default)
        throws(LogicError) -> LogicValue
    {
        try JSONLogic(rule, limits: limits).evaluate(data: data)
    }

    /// The operator names this evaluator knows, sorted.
    public static var operators: [String] { LogicOperator.allCases.map(\.rawValue).sorted() }
}
