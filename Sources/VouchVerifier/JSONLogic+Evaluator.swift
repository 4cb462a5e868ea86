/// One evaluation of a rule: walks the rule tree, counting depth and steps.
struct LogicEvaluator {
    let data: LogicValue
    let limits: JSONLogic.Limits
    private(set) var operations = 0

    init(data: LogicValue, limits: JSONLogic.Limits) {
        self.data = data
        self.limits = limits
    }

    /// Charges `steps` against the operation budget.
    mutating func charge(_ steps: Int = 1) throws(LogicError) {
        operations += steps
        guard operations <= limits.maximumOperations else {
            throw LogicError(.operationLimitExceeded, "rule needs more than \(limits.maximumOperations) operations")
        }
    }

    mutating func evaluate(_ expression: LogicValue, depth: Int) throws(LogicError) -> LogicValue {
        guard depth <= limits.maximumDepth else {
            throw LogicError(.depthLimitExceeded, "rule nests deeper than \(limits.maximumDepth) levels")
        }
        try charge()
        switch expression {
        case .array(let elements):
            var values: [LogicValue] = []
            values.reserveCapacity(elements.count)
            for element in elements { values.append(try evaluate(element, depth: depth + 1)) }
            return .array(values)
        case .object(let members):
            let (op, operands) = try LogicOperator.parse(members)
            return try apply(op, operands, depth: depth + 1)
        case .null, .bool, .number, .string:
            return expression
        }
    }

    // MARK: Operators

    private mutating func apply(_ op: LogicOperator, _ operands: [LogicValue], depth: Int)
        throws(LogicError) -> LogicValue
    {
        switch op {
        case .variable:
            let found = try lookup(try evaluate(operands[0], depth: depth))
            if found.isNull, operands.count == 2 { return try evaluate(operands[1], depth: depth) }
            return found
        case .conditional:
            var index = 0
            while index + 1 < operands.count {
                if try evaluate(operands[index], depth: depth).isTruthy {
                    return try evaluate(operands[index + 1], depth: depth)
                }
                index += 2
            }
            return try evaluate(operands[index], depth: depth)
        case .and, .or:
            var value = LogicValue.null
            for operand in operands {
                value = try evaluate(operand, depth: depth)
                if value.isTruthy == (op == .or) { return value }
            }
            return value
        case .not:
            return .bool(!(try evaluate(operands[0], depth: depth).isTruthy))
        case .doubleNot:
            return .bool(try evaluate(operands[0], depth: depth).isTruthy)
        case .strictEqual, .strictNotEqual:
            let lhs = try evaluate(operands[0], depth: depth)
            let rhs = try evaluate(operands[1], depth: depth)
            return .bool(try strictlyEqual(lhs, rhs) == (op == .strictEqual))
        case .in:
            return .bool(try contains(try evaluate(operands[1], depth: depth), try evaluate(operands[0], depth: depth)))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            var numbers: [Double] = []
            for operand in operands {
                let value = try evaluate(operand, depth: depth)
                guard case .number(let number) = value else {
                    throw LogicError(
                        .typeMismatch,
                        "\"\(op.rawValue)\" needs numbers, got \(value.typeName) \(value.abbreviated(40))")
                }
                numbers.append(number)
            }
            return .bool(zip(numbers, numbers.dropFirst()).allSatisfy { op.holds($0, $1) })
        case .before, .after, .notBefore, .notAfter:
            var instants: [LogicDateTime] = []
            for operand in operands {
                instants.append(try LogicDateTime(operand: try evaluate(operand, depth: depth), of: op.rawValue))
            }
            return .bool(zip(instants, instants.dropFirst()).allSatisfy { op.holds($0, $1) })
        case .plusTime:
            return try plusTime(
                try evaluate(operands[0], depth: depth), try evaluate(operands[1], depth: depth),
                try evaluate(operands[2], depth: depth))
        }
    }

    /// `var`: a dotted path into the data; an integer segment indexes an array.
    ///
    /// Anything missing is `null`; the empty path is the whole data object.
    private mutating func lookup(_ path: LogicValue) throws(LogicError) -> LogicValue {
        let text: String
        switch path {
        case .string(let string): text = string
        case .number where path.integerValue != nil: text = String(path.integerValue!)
        default:
            throw LogicError(.typeMismatch, "\"var\" path must be a string or an integer, got \(path.typeName)")
        }
        if text.isEmpty { return data }
        let segments = text.split(separator: ".", omittingEmptySubsequences: false)
        try charge(segments.count)
        var current = data
        for segment in segments {
            switch current {
            case .object(let members):
                current = members[String(segment)] ?? .null
            case .array(let elements):
                guard let position = Self.arrayIndex(segment), position < elements.count else { return .null }
                current = elements[position]
            default:
                return .null
            }
        }
        return current
    }

    /// A canonical non-negative decimal index (`0`, `12`; not `01` or `+1`).
    private static func arrayIndex(_ segment: Substring) -> Int? {
        guard !segment.isEmpty, segment.count <= 9, segment.allSatisfy(\.isASCII), segment.allSatisfy(\.isNumber),
            segment == "0" || !segment.hasPrefix("0")
        else { return nil }
        return Int(segment)
    }

    /// `===`: same type and same value, compared structurally for arrays and
    /// objects (unlike JavaScript's reference identity), one step per node.
    private mutating func strictlyEqual(_ lhs: LogicValue, _ rhs: LogicValue) throws(LogicError) -> Bool {
        try charge()
        switch (lhs, rhs) {
        case (.array(let left), .array(let right)):
            guard left.count == right.count else { return false }
            for (l, r) in zip(left, right) where !(try strictlyEqual(l, r)) { return false }
            return true
        case (.object(let left), .object(let right)):
            guard left.count == right.count else { return false }
            for (key, l) in left {
                guard let r = right[key], try strictlyEqual(l, r) else { return false }
            }
            return true
        default:
            return lhs == rhs
        }
    }

    /// `in`: substring of a string, or member of an array.
    private mutating func contains(_ haystack: LogicValue, _ needle: LogicValue) throws(LogicError) -> Bool {
        switch haystack {
        case .array(let elements):
            for element in elements where try strictlyEqual(needle, element) { return true }
            return false
        case .string(let text):
            guard case .string(let part) = needle else {
                throw LogicError(.typeMismatch, "\"in\" a string needs a string, got \(needle.typeName)")
            }
            try charge(1 + text.utf8.count / 64)
            return part.isEmpty || text.contains(part)
        default:
            throw LogicError(
                .typeMismatch, "\"in\" needs an array or a string as its second operand, got \(haystack.typeName)")
        }
    }

    private func plusTime(_ date: LogicValue, _ amount: LogicValue, _ unit: LogicValue) throws(LogicError)
        -> LogicValue
    {
        let start = try LogicDateTime(operand: date, of: "plusTime")
        guard let count = amount.integerValue, abs(count) <= 1_000_000 else {
            throw LogicError(
                .typeMismatch, "\"plusTime\" amount must be an integer up to 1000000, got \(amount.abbreviated(40))")
        }
        guard let unitName = unit.stringValue, let timeUnit = LogicTimeUnit(rawValue: unitName) else {
            throw LogicError(
                .typeMismatch,
                "\"plusTime\" unit must be \"year\", \"month\", \"day\" or \"hour\", got \(unit.abbreviated(40))")
        }
        guard let result = start.adding(count, timeUnit) else {
            throw LogicError(.invalidDate, "\"plusTime\" result is outside the years 0000-9999")
        }
        return .string(result.iso8601)
    }
}
