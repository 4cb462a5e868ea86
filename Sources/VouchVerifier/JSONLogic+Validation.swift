extension JSONLogic {
    /// Checks a rule without data, as `vouch policy lint` does.
    ///
    /// Finds every problem that does not depend on data: objects that are not
    /// operations, unknown operators, wrong operand counts, a malformed `var`,
    /// literal operands of the wrong type (`{"<": ["a", 1]}`), literal dates
    /// that do not parse, a literal `plusTime` unit or amount that is invalid,
    /// and a rule deeper or larger than `limits` allow.
    ///
    /// - Throws: ``LogicError`` for the first problem, with its ``LogicError/location``.
    public static func validate(_ rule: LogicValue, limits: Limits = .default) throws(LogicError) {
        var validator = LogicValidator(limits: limits)
        try validator.check(rule, depth: 1, location: "")
    }
}

/// Walks a rule once, counting nodes so that a rule built with shared
/// subtrees (cheap in memory, huge as a tree) is rejected quickly.
private struct LogicValidator {
    let limits: JSONLogic.Limits
    var nodes = 0

    mutating func check(_ expression: LogicValue, depth: Int, location: String) throws(LogicError) {
        nodes += 1
        guard nodes <= limits.maximumNodes else {
            throw LogicError(.sizeLimitExceeded, "rule has more than \(limits.maximumNodes) nodes", location: location)
        }
        guard depth <= limits.maximumDepth else {
            throw LogicError(
                .depthLimitExceeded, "rule nests deeper than \(limits.maximumDepth) levels", location: location)
        }
        switch expression {
        case .array(let elements):
            for (position, element) in elements.enumerated() {
                try check(element, depth: depth + 1, location: "\(location)[\(position)]")
            }
        case .object(let members):
            let op: LogicOperator
            let operands: [LogicValue]
            do {
                (op, operands) = try LogicOperator.parse(members)
            } catch {
                throw error.located(at: location)
            }
            let here = location.isEmpty ? op.rawValue : "\(location).\(op.rawValue)"
            do {
                try checkLiterals(op, operands)
            } catch {
                throw error.located(at: here)
            }
            for (position, operand) in operands.enumerated() {
                try check(operand, depth: depth + 1, location: "\(here)[\(position)]")
            }
        case .null, .bool, .number, .string:
            break
        }
    }

    /// Type checks that literal operands allow before any data is seen.
    private func checkLiterals(_ op: LogicOperator, _ operands: [LogicValue]) throws(LogicError) {
        switch op {
        case .variable:
            let path = operands[0]
            let isPath = path.stringValue != nil || (path.integerValue.map { $0 >= 0 } ?? false)
            guard isPath || path.objectValue != nil else {
                throw LogicError(
                    .invalidExpression, "\"var\" path must be a string or an integer, got \(path.abbreviated(40))")
            }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            for operand in operands where isLiteral(operand) && operand.numberValue == nil {
                throw LogicError(
                    .typeMismatch,
                    "\"\(op.rawValue)\" needs numbers, got \(operand.typeName) \(operand.abbreviated(40))")
            }
        case .before, .after, .notBefore, .notAfter:
            for operand in operands where isLiteral(operand) {
                _ = try LogicDateTime(operand: operand, of: op.rawValue)
            }
        case .plusTime:
            if isLiteral(operands[0]) { _ = try LogicDateTime(operand: operands[0], of: op.rawValue) }
            if isLiteral(operands[1]), operands[1].integerValue == nil || abs(operands[1].integerValue!) > 1_000_000 {
                throw LogicError(
                    .typeMismatch,
                    "\"plusTime\" amount must be an integer up to 1000000, got \(operands[1].abbreviated(40))")
            }
            if isLiteral(operands[2]), LogicTimeUnit(rawValue: operands[2].stringValue ?? "") == nil {
                throw LogicError(
                    .typeMismatch,
                    "\"plusTime\" unit must be \"year\", \"month\", \"day\" or \"hour\", got "
                        + operands[2].abbreviated(40))
            }
        case .in:
            let haystack = operands[1]
            if isLiteral(haystack), haystack.stringValue == nil, haystack.arrayValue == nil {
                throw LogicError(
                    .typeMismatch, "\"in\" needs an array or a string as its second operand, got \(haystack.typeName)")
            }
        case .conditional, .strictEqual, .strictNotEqual, .and, .or, .not, .doubleNot:
            break
        }
    }

    /// A scalar operand: its value is known now. Arrays are literal too but
    /// evaluate element-wise, so only scalars are type-checked here.
    private func isLiteral(_ operand: LogicValue) -> Bool {
        switch operand {
        case .null, .bool, .number, .string: true
        case .array: true
        case .object: false
        }
    }
}
