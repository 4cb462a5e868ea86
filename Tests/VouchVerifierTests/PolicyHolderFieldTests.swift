import Foundation
import Testing
import VouchVerifier

/// `holder_binding` and `presentation_max_age` (format.md §6): read strictly, with clear errors, defaults when absent.
@Suite struct PolicyHolderFieldTests {
    func load(_ policy: LogicValue) throws -> Policy {
        try Policy(json: Array(policy.description.utf8), file: "Policies/alcohol-uk.json")
    }

    @Test func bothFieldsAreRead() throws {
        let policy = try load(policyObject(replacing: ["holder_binding": "required", "presentation_max_age": 30]))
        #expect(policy.holderBinding == .required)
        #expect(policy.presentationMaxAge == 30)
        #expect(try load(policyObject(replacing: ["holder_binding": "ignore"])).holderBinding == .ignore)
    }

    @Test func absentFieldsTakeTheirDefaults() throws {
        let policy = try load(policyObject())
        #expect(policy.holderBinding == .optional)
        #expect(policy.presentationMaxAge == 60)
        #expect(try lintOne(policyObject()).isEmpty)
    }

    @Test(arguments: [
        ("holder_binding", LogicValue.string("mandatory"), PolicyError.Code.invalidValue,
         #"field "holder_binding": must be one of "required", "optional", "ignore", got "mandatory""#),
        ("holder_binding", .bool(true), .wrongType, #"field "holder_binding": must be one of"#),
        ("holder_binding", .null, .wrongType, #"field "holder_binding""#),
        ("presentation_max_age", .number(0), .invalidValue,
         #"field "presentation_max_age": must be an integer number of seconds from 1 to 3600, got 0"#),
        ("presentation_max_age", .number(86_400), .invalidValue, "from 1 to 3600"),
        ("presentation_max_age", .number(-5), .invalidValue, "from 1 to 3600"),
        ("presentation_max_age", .number(1.5), .wrongType, "from 1 to 3600"),
        ("presentation_max_age", .string("60"), .wrongType, #"got "60""#),
        ("presentation_max_age", .null, .wrongType, "got null"),
    ])
    func badValuesAreNamed(field: String, value: LogicValue, code: PolicyError.Code, fragment: String) throws {
        let errors = try lintOne(policyObject(replacing: [field: value]))
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.code == code)
        #expect(errors.first?.field == field)
        #expect(errors.first?.description.contains(fragment) == true, "\(errors)")
    }

    @Test func aTypoIsAnUnknownFieldWithASuggestion() throws {
        let errors = try lintOne(policyObject(replacing: ["holder_bindng": "required"]))
        #expect(errors.map(\.code) == [.unknownField])
        #expect(errors.first?.description.contains(#"did you mean "holder_binding"?"#) == true, "\(errors)")
    }

    @Test func theTrustBundleFormKeepsBoth() throws {
        let policy = try load(policyObject(replacing: ["holder_binding": "required", "presentation_max_age": 45]))
        let again = try Policy(json: Array(policy.canonicalJSON.utf8), file: "bundle/alcohol-uk.json")
        #expect(again == policy)
    }

    @Test func readmeDocumentsBoth() throws {
        let readme = try String(contentsOf: shippedPoliciesDirectory.appendingPathComponent("README.md"), encoding: .utf8)
        for field in Policy.optionalFieldNames { #expect(readme.contains("`\(field)`"), "README.md lacks \(field)") }
    }
}
