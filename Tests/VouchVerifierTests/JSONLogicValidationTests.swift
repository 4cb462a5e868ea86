import Testing
import VouchVerifier

/// `JSONLogic.validate`, the check `vouch policy lint` runs on a rule without data.
@Suite struct JSONLogicValidationTests {
    private func validationError(_ rule: String) -> LogicError? {
        logicError { try JSONLogic.validate(json(rule)) }
    }

    @Test func acceptsTheShippedIdentityRule() throws {
        let rule = #"""
            {"and": [{"var": "given_name"}, {"var": "family_name"}, {"var": "birth_date"},
              {"not-after": [{"plusTime": [{"var": "birth_date"}, 18, "year"]}, {"plusTime": [{"var": "now"}, 0, "day"]}]}]}
            """#
        #expect(validationError(rule) == nil)
    }

    @Test(arguments: [
        (#"{"foo": [1]}"#, "\"foo\"", ""),
        (#"{"and": [true, {"or": [false, {"==": [1, 1]}]}]}"#, "\"==\"", "and[1].or[1]"),
        (#"[1, {"+": [1, 2]}]"#, "\"+\"", "[1]"),
        (#"{"if": [{"missing_some": [1, ["a"]]}, 1, 2]}"#, "\"missing_some\"", "if[0]"),
    ])
    func unknownOperatorsAreNamedAndLocated(rule: String, name: String, location: String) {
        let error = validationError(rule)
        #expect(error?.code == .unknownOperator)
        #expect(error?.reason.contains(name) == true, "\(String(describing: error))")
        #expect((error?.location ?? "") == location)
    }

    @Test(arguments: [
        #"{"===": [1]}"#, #"{"===": [1, 2, 3]}"#, #"{"!==": 1}"#, #"{"<": [1]}"#, #"{"<=": [1, 2, 3, 4]}"#,
        #"{"if": [true, 1]}"#, #"{"if": [true, 1, false, 2]}"#, #"{"if": []}"#, #"{"and": [true]}"#, #"{"or": []}"#,
        #"{"!": []}"#, #"{"!!": [1, 2]}"#, #"{"in": ["a"]}"#, #"{"plusTime": ["2021-01-01", 1]}"#,
        #"{"before": ["2021-01-01"]}"#, #"{"not-after": ["2021-01-01", "2021-01-02", "2021-01-03", "2021-01-04"]}"#,
        #"{"var": []}"#, #"{"var": ["a", 1, 2]}"#,
    ])
    func wrongArity(rule: String) {
        #expect(validationError(rule)?.code == .wrongArity, "\(rule)")
    }

    @Test(arguments: [
        (#"{"<": ["a", 1]}"#, LogicError.Code.typeMismatch),
        (#"{">=": [{"var": "age"}, null]}"#, .typeMismatch),
        (#"{"<": [1, [2]]}"#, .typeMismatch),
        (#"{"plusTime": ["2021-01-01", 1, "week"]}"#, .typeMismatch),
        (#"{"plusTime": ["2021-01-01", "1", "day"]}"#, .typeMismatch),
        (#"{"plusTime": ["2021-01-01", 0.5, "day"]}"#, .typeMismatch),
        (#"{"plusTime": ["01/02/2021", 1, "day"]}"#, .invalidDate),
        (#"{"before": ["2021-02-30", {"var": "now"}]}"#, .invalidDate),
        (#"{"after": [true, {"var": "now"}]}"#, .typeMismatch),
        (#"{"in": ["a", 5]}"#, .typeMismatch),
        (#"{"var": true}"#, .invalidExpression),
        (#"{"var": -1}"#, .invalidExpression),
        (#"{"var": 1.5}"#, .invalidExpression),
        (#"{"var": "a", "if": [1, 2, 3]}"#, .invalidExpression),
        (#"{"and": [true, {}]}"#, .invalidExpression),
    ])
    func literalOperandsAreTypeChecked(rule: String, code: LogicError.Code) {
        #expect(validationError(rule)?.code == code, "\(rule)")
    }

    @Test(arguments: [
        #"{"<": [{"var": "a"}, 1, {"var": "b"}]}"#, #"{"in": [{"var": "c"}, ["x", "y"]]}"#,
        #"{"in": ["x", {"var": "s"}]}"#, #"{"plusTime": [{"var": "d"}, {"var": "n"}, {"var": "u"}]}"#,
        #"{"var": [{"if": [true, "a", "b"]}]}"#, #"{"var": 0}"#, #"{"!": {"var": "x"}}"#, "true", "[1, 2]",
    ])
    func acceptsWhatOnlyDataCanDecide(rule: String) {
        #expect(validationError(rule) == nil, "\(rule)")
    }

    @Test func initValidates() {
        #expect(logicError { try JSONLogic(json(#"{"nope": []}"#)) }?.code == .unknownOperator)
    }

    @Test func operatorListIsComplete() {
        #expect(
            Set(JSONLogic.operators)
                == [
                    "var", "if", "===", "!==", "<", "<=", ">", ">=", "and", "or", "!", "!!", "in", "plusTime", "before",
                    "after", "not-before", "not-after",
                ])
    }
}
