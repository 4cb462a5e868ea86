import Testing
import VouchVerifier

/// Operator semantics, after the CertLogic specification 1.3.2 and its
/// test suite, and JsonLogic where CertLogic is silent (`or`, `!==`, `!!`,
/// `var` defaults, `if` chains, `in` on strings).
@Suite struct JSONLogicOperatorTests {
    // MARK: Truthiness

    @Test(arguments: [
        ("false", false), ("null", false), ("0", false), (#""""#, false), ("[]", false), (#"{"var": "empty"}"#, false),
        ("true", true), ("1", true), ("-1", true), ("0.5", true), (#""0""#, true), (#""false""#, true),
        ("[0]", true), ("[[]]", true), (#"{"var": "full"}"#, true),
    ])
    func truthiness(operand: String, truthy: Bool) throws {
        let data = #"{"empty": {}, "full": {"a": 0}}"#
        #expect(try evaluate(#"{"!!": [\#(operand)]}"#, data) == .bool(truthy), "\(operand)")
        #expect(try evaluate(#"{"!": [\#(operand)]}"#, data) == .bool(!truthy), "\(operand)")
        #expect(try evaluate(#"{"if": [\#(operand), "yes", "no"]}"#, data) == .string(truthy ? "yes" : "no"))
    }

    @Test func negationAcceptsAShorthandOperand() throws {
        #expect(try evaluate(#"{"!": {"var": "missing"}}"#) == .bool(true))
        #expect(try evaluate(#"{"!": true}"#) == .bool(false))
    }

    // MARK: var

    @Test func varReadsPathsAndIndexes() throws {
        let data = #"{"a": {"b": {"c": 7}}, "list": ["x", {"y": 2}], "zero": 0, "nothing": null}"#
        #expect(try evaluate(#"{"var": "a.b.c"}"#, data) == .number(7))
        #expect(try evaluate(#"{"var": ["a.b.c"]}"#, data) == .number(7))
        #expect(try evaluate(#"{"var": "list.0"}"#, data) == .string("x"))
        #expect(try evaluate(#"{"var": "list.1.y"}"#, data) == .number(2))
        #expect(try evaluate(#"{"var": "list.01"}"#, data) == .null)
        #expect(try evaluate(#"{"var": "list.5"}"#, data) == .null)
        #expect(try evaluate(#"{"var": "a.b.c.d"}"#, data) == .null)
        #expect(try evaluate(#"{"var": "missing.deeper"}"#, data) == .null)
        #expect(try evaluate(#"{"var": "zero"}"#, data) == .number(0))
        #expect(try evaluate(#"{"var": ""}"#, #"{"k": 1}"#) == json(#"{"k": 1}"#))
        #expect(try evaluate(#"{"var": 1}"#, #"{"1": "one"}"#) == .string("one"))
    }

    @Test func varDefaultReplacesMissingAndNullOnly() throws {
        let data = #"{"zero": 0, "empty": "", "nothing": null}"#
        #expect(try evaluate(#"{"var": ["missing", 26]}"#, data) == .number(26))
        #expect(try evaluate(#"{"var": ["nothing", "d"]}"#, data) == .string("d"))
        #expect(try evaluate(#"{"var": ["zero", 26]}"#, data) == .number(0))
        #expect(try evaluate(#"{"var": ["empty", 26]}"#, data) == .string(""))
        #expect(try evaluate(#"{"var": ["missing", {"var": "zero"}]}"#, data) == .number(0))
    }

    @Test func varPathMustBeAStringOrInteger() {
        #expect(logicError { try evaluate(#"{"var": true}"#) }?.code == .invalidExpression)
        #expect(logicError { try evaluate(#"{"var": [{"if": [true, [1], "x"]}]}"#) }?.code == .typeMismatch)
    }

    // MARK: if

    @Test func ifChainsPickTheFirstTruthyCondition() throws {
        let rule = #"{"if": [{"<": [{"var": "t"}, 0]}, "freezing", {"<": [{"var": "t"}, 100]}, "liquid", "gas"]}"#
        #expect(try evaluate(rule, #"{"t": -5}"#) == .string("freezing"))
        #expect(try evaluate(rule, #"{"t": 55}"#) == .string("liquid"))
        #expect(try evaluate(rule, #"{"t": 101}"#) == .string("gas"))
    }

    @Test func ifEvaluatesOnlyTheChosenBranch() throws {
        // The untaken branches would throw a type mismatch if evaluated.
        let bad = #"{"<": [{"var": "s"}, 1]}"#
        #expect(try evaluate(#"{"if": [true, 1, \#(bad)]}"#, #"{"s": "x"}"#) == .number(1))
        #expect(try evaluate(#"{"if": [false, \#(bad), 2]}"#, #"{"s": "x"}"#) == .number(2))
        #expect(logicError { try evaluate(#"{"if": [false, 1, \#(bad)]}"#, #"{"s": "x"}"#) }?.code == .typeMismatch)
    }

    // MARK: Equality

    @Test(arguments: [
        ("1", "1", true), ("1", "1.0", true), ("1", #""1""#, false), ("0", "false", false), ("1", "true", false),
        ("null", "null", true), ("null", "false", false), (#""a""#, #""a""#, true), (#""a""#, #""A""#, false),
        ("[[1, 2]]", "[[1, 2]]", true), ("[[1, 2]]", "[[2, 1]]", false), ("[[]]", "[[]]", true),
    ])
    func strictEquality(lhs: String, rhs: String, equal: Bool) throws {
        #expect(try evaluate(#"{"===": [\#(lhs), \#(rhs)]}"#) == .bool(equal), "\(lhs) === \(rhs)")
        #expect(try evaluate(#"{"!==": [\#(lhs), \#(rhs)]}"#) == .bool(!equal), "\(lhs) !== \(rhs)")
    }

    @Test func equalityComparesDataObjectsStructurally() throws {
        let data = #"{"a": {"x": [1, {"y": 2}]}, "b": {"x": [1, {"y": 2}]}, "c": {"x": [1, {"y": 3}]}}"#
        #expect(try evaluate(#"{"===": [{"var": "a"}, {"var": "b"}]}"#, data) == .bool(true))
        #expect(try evaluate(#"{"===": [{"var": "a"}, {"var": "c"}]}"#, data) == .bool(false))
    }

    // MARK: Ordering

    @Test(arguments: [
        (#"{"<": [1, 2]}"#, true), (#"{"<": [2, 2]}"#, false), (#"{"<=": [2, 2]}"#, true), (#"{">": [3, 2]}"#, true),
        (#"{">": [2, 2]}"#, false), (#"{">=": [2, 2]}"#, true), (#"{">=": [1, 2]}"#, false), (#"{"<": [-1.5, -1]}"#, true),
        (#"{"<": [1, 2, 3]}"#, true), (#"{"<": [1, 1, 3]}"#, false), (#"{"<": [1, 3, 3]}"#, false),
        (#"{"<=": [1, 1, 3]}"#, true), (#"{"<=": [1, 3, 3]}"#, true), (#"{"<=": [1, 4, 3]}"#, false),
        (#"{">": [3, 2, 1]}"#, true), (#"{">=": [3, 3, 4]}"#, false),
    ])
    func comparisons(rule: String, result: Bool) throws {
        #expect(try evaluate(rule) == .bool(result), "\(rule)")
    }

    @Test func comparisonsNeedNumbers() {
        let data = #"{"s": "18", "b": true}"#
        #expect(logicError { try evaluate(#"{"<": [{"var": "s"}, 21]}"#, data) }?.code == .typeMismatch)
        #expect(logicError { try evaluate(#"{">=": [{"var": "b"}, 1]}"#, data) }?.code == .typeMismatch)
        // A missing value is not zero: it is an error, so the rule fails closed.
        #expect(logicError { try evaluate(#"{">=": [{"var": "missing"}, 18]}"#, data) }?.code == .typeMismatch)
    }

    // MARK: and, or

    @Test func andOrReturnTheDecidingOperand() throws {
        #expect(try evaluate(#"{"and": [1, "a"]}"#) == .string("a"))
        #expect(try evaluate(#"{"and": [1, 0, "a"]}"#) == .number(0))
        #expect(try evaluate(#"{"and": [true, "", true]}"#) == .string(""))
        #expect(try evaluate(#"{"or": [0, "", "x"]}"#) == .string("x"))
        #expect(try evaluate(#"{"or": [0, ""]}"#) == .string(""))
        #expect(try evaluate(#"{"or": [[1], false]}"#) == .array([.number(1)]))
    }

    @Test func andOrShortCircuit() throws {
        let bad = #"{"<": [{"var": "s"}, 1]}"#
        #expect(try evaluate(#"{"and": [false, \#(bad)]}"#, #"{"s": "x"}"#) == .bool(false))
        #expect(try evaluate(#"{"or": [true, \#(bad)]}"#, #"{"s": "x"}"#) == .bool(true))
        #expect(logicError { try evaluate(#"{"and": [true, \#(bad)]}"#, #"{"s": "x"}"#) }?.code == .typeMismatch)
    }

    // MARK: in

    @Test func inFindsSubstringsAndMembers() throws {
        let data = #"{"c": "student", "codes": ["student", "senior"], "n": 5}"#
        #expect(try evaluate(#"{"in": ["Spring", "Springfield"]}"#) == .bool(true))
        #expect(try evaluate(#"{"in": ["spring", "Springfield"]}"#) == .bool(false))
        #expect(try evaluate(#"{"in": ["", "abc"]}"#) == .bool(true))
        #expect(try evaluate(#"{"in": [{"var": "c"}, ["student", "senior"]]}"#, data) == .bool(true))
        #expect(try evaluate(#"{"in": ["veteran", {"var": "codes"}]}"#, data) == .bool(false))
        #expect(try evaluate(#"{"in": [1, [1, 2]]}"#) == .bool(true))
        #expect(try evaluate(#"{"in": ["1", [1, 2]]}"#) == .bool(false))
        #expect(try evaluate(#"{"in": [1, []]}"#) == .bool(false))
    }

    @Test func inNeedsAStringOrArray() {
        let data = #"{"n": 5}"#
        #expect(logicError { try evaluate(#"{"in": ["a", {"var": "n"}]}"#, data) }?.code == .typeMismatch)
        #expect(logicError { try evaluate(#"{"in": ["a", {"var": "missing"}]}"#, data) }?.code == .typeMismatch)
        #expect(logicError { try evaluate(#"{"in": [5, "a5"]}"#) }?.code == .typeMismatch)
    }

    // MARK: Malformed rules

    @Test func unknownOperatorIsNamed() {
        let error = logicError { try evaluate(#"{"and": [true, {"regex": ["a", "b"]}]}"#) }
        #expect(error?.code == .unknownOperator)
        #expect(error?.description.contains("\"regex\"") == true)
        #expect(error?.description.contains("and[1]") == true)
    }

    @Test func operationsHaveExactlyOneKey() {
        #expect(logicError { try evaluate(#"{"var": "a", "if": [1, 2, 3]}"#) }?.code == .invalidExpression)
        #expect(logicError { try evaluate("{}") }?.code == .invalidExpression)
    }

    @Test func literalsEvaluateToThemselves() throws {
        #expect(try evaluate("42") == .number(42))
        #expect(try evaluate(#""text""#) == .string("text"))
        #expect(try evaluate("null") == .null)
        #expect(try evaluate(#"[1, {"var": "a"}, [true]]"#, #"{"a": "x"}"#) == json(#"[1, "x", [true]]"#))
    }
}
