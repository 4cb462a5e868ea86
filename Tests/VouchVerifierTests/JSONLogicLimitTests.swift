import Testing

@testable import VouchVerifier

/// A hostile rule or data set ends in a `LogicError`, quickly, never in a
/// crash or a hang.
@Suite struct JSONLogicLimitTests {
    /// `{"!": {"!": ... false ...}}`, `levels` operations deep.
    private func nestedNegations(_ levels: Int) -> LogicValue {
        var rule: LogicValue = false
        for _ in 0..<levels { rule = ["!": [rule]] }
        return rule
    }

    /// `{"or": [x, x]}` doubled `levels` times: small in memory (the halves
    /// are shared), 2^levels nodes as a tree, all falsy so nothing short-circuits.
    private func doublingRule(_ levels: Int) -> LogicValue {
        var rule: LogicValue = false
        for _ in 0..<levels { rule = ["or": [rule, rule]] }
        return rule
    }

    /// Runs `body` and checks that it took well under the seconds an unbounded run would need.
    private func quickly<T>(_ body: () throws -> T) -> LogicError? {
        let clock = ContinuousClock()
        let start = clock.now
        defer { #expect(clock.now - start < .seconds(5)) }
        return logicError(body)
    }

    @Test func depthAtTheLimitEvaluates() throws {
        // 31 operations plus the literal leaf: depth 32.
        #expect(try JSONLogic.evaluate(nestedNegations(31), data: [:]) == .bool(true))
    }

    @Test func tooDeepRuleFailsValidationAndEvaluation() {
        let rule = nestedNegations(40)
        #expect(quickly { try JSONLogic.validate(rule) }?.code == .depthLimitExceeded)
        #expect(quickly { try JSONLogic.evaluate(rule, data: [:]) }?.code == .depthLimitExceeded)
        var evaluator = LogicEvaluator(data: [:], limits: .default)
        #expect(quickly { try evaluator.evaluate(rule, depth: 1) }?.code == .depthLimitExceeded)
    }

    @Test func veryDeepRuleDoesNotOverflowTheStack() {
        let rule = nestedNegations(1_000)
        #expect(quickly { try JSONLogic.evaluate(rule, data: [:]) }?.code == .depthLimitExceeded)
    }

    @Test func deepArrayLiteralsCountToo() {
        var rule: LogicValue = 1
        for _ in 0..<40 { rule = [rule] }
        #expect(quickly { try JSONLogic.validate(rule) }?.code == .depthLimitExceeded)
    }

    @Test func exponentialRuleIsRejectedByValidation() {
        let rule = doublingRule(30)  // 2^31 - 1 nodes as a tree
        #expect(quickly { try JSONLogic.validate(rule) }?.code == .sizeLimitExceeded)
        #expect(quickly { try JSONLogic.evaluate(rule, data: [:]) }?.code == .sizeLimitExceeded)
    }

    @Test func exponentialRuleIsStoppedByTheOperationBudget() {
        // Skip validation to show the evaluator defends itself as well.
        var evaluator = LogicEvaluator(data: [:], limits: .default)
        #expect(quickly { try evaluator.evaluate(doublingRule(30), depth: 1) }?.code == .operationLimitExceeded)
        #expect(evaluator.operations <= JSONLogic.Limits.default.maximumOperations + 1)
    }

    @Test func largeDataCannotExhaustTheBudgetSilently() {
        let big = LogicValue.array(Array(repeating: "x", count: 200_000))
        let data: LogicValue = ["list": big, "copy": big]
        #expect(quickly { try JSONLogic.evaluate(["in": ["y", ["var": "list"]]], data: data) }?.code == .operationLimitExceeded)
        #expect(
            quickly { try JSONLogic.evaluate(["===": [["var": "list"], ["var": "copy"]]], data: data) }?.code
                == .operationLimitExceeded)
        let longPath = Array(repeating: "a", count: 20_000).joined(separator: ".")
        #expect(quickly { try JSONLogic.evaluate(["var": .string(longPath)], data: data) }?.code == .operationLimitExceeded)
    }

    @Test func limitsAreConfigurable() throws {
        let rule: LogicValue = ["and": [true, true, true]]
        let tight = JSONLogic.Limits(maximumOperations: 3)
        #expect(logicError { try JSONLogic(rule, limits: tight).evaluate(data: [:]) }?.code == .operationLimitExceeded)
        #expect(try JSONLogic(rule, limits: JSONLogic.Limits(maximumOperations: 4)).evaluate(data: [:]) == .bool(true))
        #expect(logicError { try JSONLogic(rule, limits: JSONLogic.Limits(maximumDepth: 1)) }?.code == .depthLimitExceeded)
        #expect(logicError { try JSONLogic(rule, limits: JSONLogic.Limits(maximumNodes: 3)) }?.code == .sizeLimitExceeded)
    }

    @Test func deeplyNestedJSONRuleIsRejectedByTheParser() {
        let text = String(repeating: #"{"!": ["#, count: 40) + "true" + String(repeating: "]}", count: 40)
        #expect(throws: LogicValue.ParseError.self) { try LogicValue(json: text) }
    }
}
