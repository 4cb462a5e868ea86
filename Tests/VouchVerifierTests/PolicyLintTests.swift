import Foundation
import Testing
import VouchVerifier

/// Every way a policy file can be wrong is an error naming the file and the field.
@Suite struct PolicyLintTests {
    /// Lints one bad alcohol-uk.json and expects exactly one error, for `field`.
    private func expectSingleError(
        _ policy: LogicValue, field: String?, code: PolicyError.Code, containing fragment: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let errors = try lintOne(policy)
        #expect(errors.count == 1, "\(errors)", sourceLocation: sourceLocation)
        guard let error = errors.first else { return }
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.file == "Policies/alcohol-uk.json", sourceLocation: sourceLocation)
        #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix("Policies/alcohol-uk.json: "), sourceLocation: sourceLocation)
        if let field {
            #expect(error.description.contains("field \"\(field)\""), sourceLocation: sourceLocation)
        }
        if let fragment {
            #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func theValidBaselineIsClean() throws {
        #expect(try lintOne(policyObject()).isEmpty)
    }

    @Test func negativeMaxTokenAgeReadsAsDocumented() throws {
        let errors = try lintOne(policyObject(replacing: ["max_token_age": -5]))
        #expect(
            errors.map(\.description)
                == [#"Policies/alcohol-uk.json: field "max_token_age": must be a non-negative integer or null, got -5"#])
        #expect(errors.first?.code == .invalidValue)
    }

    // MARK: Unknown and missing fields

    @Test func unknownFieldIsNamedWithASuggestion() throws {
        try expectSingleError(
            policyObject(replacing: ["max_tokn_age": 5]), field: "max_tokn_age", code: .unknownField,
            containing: #"did you mean "max_token_age"?"#)
        try expectSingleError(policyObject(replacing: ["colour": "red"]), field: "colour", code: .unknownField)
    }

    @Test func unknownRequirementIsNamed() throws {
        try expectSingleError(
            policyObject(replacing: ["require": ["age_over": 18, "age_under": 65]]), field: "require.age_under",
            code: .unknownField)
    }

    @Test(arguments: Policy.fieldNames)
    func missingFieldIsNamed(field: String) throws {
        let errors = try lintOne(policyObject(removing: [field]))
        #expect(errors.contains { $0.field == field && $0.code == .missingField }, "\(errors)")
        #expect(errors.allSatisfy { $0.file == "Policies/alcohol-uk.json" })
    }

    // MARK: Wrong types, one per field

    static let wrongTypes: [(String, LogicValue)] = [
        ("id", .number(5)), ("title", .bool(true)), ("title", .null), ("accept", "age"),
        ("accept", [1]), ("require", ["age_over", 18]), ("require", .null), ("max_token_age", "1y"),
        ("max_token_age", 1.5), ("clock_skew", .null), ("clock_skew", "300"), ("status", .bool(true)),
        ("max_status_age", .null), ("max_status_age", [86_400]), ("single_use", "false"), ("single_use", 0),
        ("issuers", "abc"), ("disclose", ["age_over_18": true]), ("disclose", [18]), ("rule", "age >= 18"),
        ("rule", [["var": "x"]]), ("log_receipt", .bool(true)), ("log_receipt", .null),
    ]

    @Test(arguments: wrongTypes)
    func wrongTypeIsNamed(field: String, value: LogicValue) throws {
        try expectSingleError(policyObject(replacing: [field: value]), field: field, code: .wrongType)
    }

    @Test(arguments: [LogicValue.string("18"), .number(18.5), .bool(true)])
    func wrongTypeOfAgeIsNamed(value: LogicValue) throws {
        try expectSingleError(
            policyObject(replacing: ["require": ["age_over": value]]), field: "require.age_over", code: .wrongType)
    }

    @Test func wrongTypeOfConcessionIsNamed() throws {
        try expectSingleError(
            policyObject(replacing: [
                "accept": ["concession"], "require": ["concession": "student"], "disclose": ["concession"],
            ]), field: "require.concession", code: .wrongType)
    }

    @Test func topLevelMustBeAnObject() throws {
        try expectSingleError(["alcohol-uk"], field: nil, code: .wrongType)
    }

    // MARK: Impossible values

    @Test(arguments: [-1, 0, 151, 1000])
    func impossibleAgeIsNamed(age: Int) throws {
        try expectSingleError(
            policyObject(replacing: ["require": ["age_over": .number(Double(age))]]), field: "require.age_over",
            code: .invalidValue, containing: "from 1 to 150, got \(age)")
    }

    @Test func unknownReceiptCheckIsNamed() throws {
        try expectSingleError(policyObject(replacing: ["log_receipt": "sometimes"]), field: "log_receipt",
                              code: .invalidValue, containing: "\"required\", \"optional\"")
    }

    @Test func receiptCheckIsRead() throws {
        let policy = try Policy(json: Array(policyObject(replacing: ["log_receipt": "optional"]).description.utf8),
                                file: "Policies/alcohol-uk.json")
        #expect(policy.logReceipt == .optional)
        #expect(try Policy(json: Array(policyObject().description.utf8), file: "Policies/alcohol-uk.json").logReceipt
                    == .required)
    }

    @Test(arguments: [
        ("max_token_age", -1, "non-negative"), ("max_token_age", 4_000_000_000, "at most"),
        ("clock_skew", -300, "non-negative"), ("clock_skew", 86_401, "at most"),
        ("max_status_age", -86_400, "non-negative"), ("max_status_age", 4_000_000_000, "at most"),
    ])
    func impossibleTimeIsNamed(field: String, seconds: Int, fragment: String) throws {
        try expectSingleError(
            policyObject(replacing: [field: .number(Double(seconds))]), field: field, code: .invalidValue,
            containing: fragment)
    }

    @Test func nullMaxTokenAgeMeansNoLimit() throws {
        let policy = try Policy(
            json: Array(policyObject(replacing: ["max_token_age": nil]).description.utf8), file: "alcohol-uk.json")
        #expect(policy.maxTokenAge == nil)
    }

    static let impossibleValues: [(String, LogicValue)] = [
        ("id", "Alcohol-UK"), ("id", ""), ("id", "alcohol--uk"), ("id", "alcohol-uk-"),
        ("title", ""), ("title", " Sale of alcohol"), ("title", "Sale\nof alcohol"), ("status", "mandatory"),
        ("accept", []), ("accept", ["age", "age", "identity"]), ("issuers", []),
        ("issuers", [.string(String(repeating: "A", count: 64))]), ("issuers", [.string(String(repeating: "a", count: 63))]),
        ("disclose", ["age_over_18", "age_over_18"]),
    ]

    @Test(arguments: impossibleValues)
    func impossibleValueIsNamed(field: String, value: LogicValue) throws {
        let errors = try lintOne(policyObject(replacing: [field: value]))
        #expect(errors.contains { $0.field == field && $0.code == .invalidValue }, "\(errors)")
        #expect(errors.allSatisfy { $0.file == "Policies/alcohol-uk.json" && $0.field == field }, "\(errors)")
    }

    @Test func unknownAcceptTypeIsNamed() throws {
        try expectSingleError(
            policyObject(replacing: ["accept": ["age", "passport"]]), field: "accept", code: .invalidValue,
            containing: #"unknown attestation type "passport""#)
    }

    @Test func unknownConcessionIsNamed() throws {
        try expectSingleError(
            policyObject(replacing: [
                "accept": ["concession"], "require": ["concession": ["student", "pensioner"]],
                "disclose": ["concession"],
            ]), field: "require.concession", code: .invalidValue, containing: #"unknown concession "pensioner""#)
    }

    @Test(arguments: ["age_over_", "age_over_0", "age_over_018", "age_over_151", "age_under_18", "email", "cti", "AGE_OVER_18"])
    func unknownDiscloseNameIsNamed(name: String) throws {
        try expectSingleError(
            policyObject(replacing: ["disclose": ["age_over_18", .string(name)]]), field: "disclose", code: .invalidValue,
            containing: "unknown claim \"\(name)\"")
    }

    @Test func everyClaimOfTheFormatCanBeDisclosed() throws {
        let names = ["age_over_16", "age_over_150"] + Policy.disclosableClaims
        #expect(try lintOne(policyObject(replacing: ["disclose": .array(names.map(LogicValue.string))])).isEmpty)
        #expect(try lintOne(policyObject(replacing: ["disclose": nil])).isEmpty)
        #expect(try lintOne(policyObject(replacing: ["disclose": []])).isEmpty)
    }

    // MARK: Requirements and accepted types belong together

    @Test func ageRequirementNeedsAgeAccepted() throws {
        try expectSingleError(
            policyObject(replacing: ["accept": ["identity"]]), field: "require.age_over", code: .invalidValue,
            containing: #""age" is not in accept"#)
    }

    @Test func acceptingAgeNeedsAnAgeRequirement() throws {
        try expectSingleError(
            policyObject(replacing: ["require": [:]]), field: "require.age_over", code: .missingField)
    }

    @Test func concessionRequirementNeedsConcessionAccepted() throws {
        try expectSingleError(
            policyObject(replacing: ["require": ["age_over": 18, "concession": ["student"]]]), field: "require.concession",
            code: .invalidValue)
        try expectSingleError(
            policyObject(replacing: ["accept": ["age", "concession"]]), field: "require.concession", code: .missingField)
    }

    // MARK: Rules

    @Test func unknownRuleOperatorIsNamed() throws {
        try expectSingleError(
            policyObject(replacing: ["rule": ["and": [["var": "age_over_18"], ["regex": ["a", "b"]]]]]), field: "rule",
            code: .invalidRule, containing: #"at and[1]: unknown operator "regex""#)
    }

    @Test func ruleArityIsChecked() throws {
        try expectSingleError(
            policyObject(replacing: ["rule": ["===": [1]]]), field: "rule", code: .invalidRule, containing: "2 operands")
    }

    // MARK: Files

    @Test func badJSONNamesTheFile() throws {
        let errors = try lint(["alcohol-uk.json": #"{"id": "alcohol-uk", "title": "x",}"#])
        #expect(errors.count == 1)
        #expect(errors.first?.code == .invalidJSON)
        #expect(errors.first?.file == "Policies/alcohol-uk.json")
        #expect(errors.first?.field == nil)
        #expect(errors.first?.description.hasPrefix("Policies/alcohol-uk.json: invalid JSON at byte") == true)
    }

    @Test func duplicateKeyIsBadJSON() throws {
        let errors = try lint(["alcohol-uk.json": #"{"id": "alcohol-uk", "id": "alcohol-uk"}"#])
        #expect(errors.map(\.code) == [.invalidJSON])
        #expect(errors.first?.description.contains("duplicate key \"id\"") == true)
    }

    @Test func idMustMatchTheFileName() throws {
        let errors = try lint(["alcohol.json": policyObject().description])
        #expect(errors.map(\.code) == [.idMismatch])
        #expect(
            errors.first?.description
                == #"Policies/alcohol.json: field "id": "alcohol-uk" does not match the file name "alcohol.json" (expected "alcohol-uk.json")"#)
    }

    @Test func duplicateIDIsNamed() throws {
        let errors = try lint([
            "alcohol-uk.json": policyObject().description, "alcohol-uk-copy.json": policyObject().description,
        ])
        #expect(Set(errors.map(\.code)) == [.idMismatch, .duplicateID])
        let duplicate = try #require(errors.first { $0.code == .duplicateID })
        #expect(duplicate.file == "Policies/alcohol-uk.json")
        #expect(duplicate.field == "id")
        #expect(duplicate.message.contains("also defined in Policies/alcohol-uk-copy.json"))
    }

    @Test func emptyOrMissingDirectoryIsAnError() throws {
        let directory = try TemporaryPolicyDirectory()
        try directory.write("README.md", "not a policy")
        #expect(PolicyStore.lint(directory: directory.url).map(\.code) == [.noPolicies])
        let missing = directory.url.appendingPathComponent("nowhere")
        #expect(PolicyStore.lint(directory: missing).map(\.code) == [.unreadable])
    }

    @Test func oversizedFileIsRefusedUnread() throws {
        let errors = try lint(["alcohol-uk.json": String(repeating: " ", count: PolicyStore.maximumFileSize + 1)])
        #expect(errors.map(\.code) == [.unreadable])
    }

    @Test func allErrorsInAllFilesAreReportedAtOnce() throws {
        let directory = try TemporaryPolicyDirectory()
        try directory.write("alcohol-uk.json", policyObject(replacing: ["max_token_age": -5, "status": "maybe"]))
        try directory.write("tobacco-uk.json", "{")
        try directory.write("knives-uk.json", policyObject(id: "knives-uk"))
        let errors = PolicyStore.lint(directory: directory.url)
        #expect(
            errors.map(\.description) == [
                #"Policies/alcohol-uk.json: field "max_token_age": must be a non-negative integer or null, got -5"#,
                #"Policies/alcohol-uk.json: field "status": must be one of "required", "optional", "ignore", got "maybe""#,
                "Policies/tobacco-uk.json: invalid JSON at byte 1: expected a string key in object",
            ])
        do {
            _ = try PolicyStore.load(directory: directory.url)
            Issue.record("load should fail")
        } catch {
            #expect(error.errors.count == 3)
            #expect(error.description.split(separator: "\n").count == 3)
        }
    }
}
