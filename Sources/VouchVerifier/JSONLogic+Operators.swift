/// The operators this evaluator knows, with their operand counts.
///
/// One table serves the validator and the evaluator, so a rule that
/// validates never meets an arity error when evaluated.
enum LogicOperator: String, CaseIterable, Sendable {
    case variable = "var"
    case conditional = "if"
    case strictEqual = "==="
    case strictNotEqual = "!=="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case and
    case or
    case not = "!"
    case doubleNot = "!!"
    case `in`
    case plusTime
    case before
    case after
    case notBefore = "not-before"
    case notAfter = "not-after"

    /// Checks the operand count, naming the operator and what it needs.
    func checkArity(_ count: Int) throws(LogicError) {
        let ok: Bool
        let needs: String
        switch self {
        case .variable:
            (ok, needs) = ((1...2).contains(count), "a path and an optional default")
        case .conditional:
            (ok, needs) = (count >= 3 && count % 2 == 1, "3, 5, 7, ... operands (condition, then, ..., else)")
        case .strictEqual, .strictNotEqual, .in:
            (ok, needs) = (count == 2, "2 operands")
        case .less, .lessOrEqual, .greater, .greaterOrEqual, .before, .after, .notBefore, .notAfter:
            (ok, needs) = ((2...3).contains(count), "2 operands, or 3 for the between form")
        case .and, .or:
            (ok, needs) = (count >= 2, "at least 2 operands")
        case .not, .doubleNot:
            (ok, needs) = (count == 1, "1 operand")
        case .plusTime:
            (ok, needs) = (count == 3, "3 operands (date, amount, unit)")
        }
        guard ok else {
            throw LogicError(.wrongArity, "\"\(rawValue)\" takes \(needs), got \(count)")
        }
    }

    /// Comparison of two ordered values for `<`, `before` and their kin.
    func holds<T: Comparable>(_ lhs: T, _ rhs: T) -> Bool {
        switch self {
        case .less, .before: lhs < rhs
        case .lessOrEqual, .notAfter: lhs <= rhs
        case .greater, .after: lhs > rhs
        case .greaterOrEqual, .notBefore: lhs >= rhs
        default: false
        }
    }

    /// Splits an operation `{"op": operands}` into its operator and operand list.
    ///
    /// A non-array operand is shorthand for a one-element list, as in
    /// JsonLogic (`{"!": {"var": "x"}}`, `{"var": "age"}`).
    static func parse(_ members: [String: LogicValue]) throws(LogicError) -> (LogicOperator, [LogicValue]) {
        guard members.count == 1, let (name, operand) = members.first else {
            let keys = members.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            throw LogicError(
                .invalidExpression,
                "an operation is an object with exactly one key, got \(members.count) keys [\(keys)]")
        }
        guard let op = LogicOperator(rawValue: name) else {
            throw LogicError(.unknownOperator, "unknown operator \"\(name)\"")
        }
        let operands: [LogicValue] =
            if case .array(let list) = operand { list } else { [operand] }
        try op.checkArity(operands.count)
        return (op, operands)
    }
}

/// Units `plusTime` accepts.
enum LogicTimeUnit: String, CaseIterable, Sendable {
    case year, month, day, hour
}
