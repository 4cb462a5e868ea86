import Foundation
import Testing
import VouchCore
import VouchVerifier

/// The policies shipped in `Policies/` and the store that loads them.
@Suite struct PolicyStoreTests {
    static let shippedIDs = [
        "alcohol-uk", "alcohol-us", "cannabis-ca-on", "fireworks-uk", "identity-account-opening", "knives-uk",
        "lottery-uk", "senior-discount", "solvents-uk", "student-discount", "tobacco-uk", "tobacco-us",
    ]

    @Test func everyShippedPolicyLoads() throws {
        #expect(PolicyStore.lint(directory: shippedPoliciesDirectory).map(\.description) == [])
        let store = try PolicyStore.load(directory: shippedPoliciesDirectory)
        #expect(store.all.map(\.id) == Self.shippedIDs)
        for id in Self.shippedIDs { #expect(store.policy(id: id)?.id == id) }
        #expect(store.policy(id: "alcohol-fr") == nil)
    }

    @Test(arguments: [
        ("alcohol-uk", 18), ("alcohol-us", 21), ("tobacco-uk", 18), ("tobacco-us", 21), ("lottery-uk", 18),
        ("knives-uk", 18), ("cannabis-ca-on", 19), ("solvents-uk", 18), ("fireworks-uk", 18),
    ])
    func agePolicies(id: String, years: Int) throws {
        let policy = try #require(try PolicyStore.load(directory: shippedPoliciesDirectory).policy(id: id))
        #expect(policy.require.ageOver == years)
        #expect(policy.require.concession == nil)
        #expect(policy.accept == [.age, .identity])
        #expect(policy.status == .required)  // sales restricted by law (Policies/README.md)
        #expect(policy.maxStatusAge == 86_400)
        #expect(policy.clockSkew == 30)  // with presentation_max_age 20: a 90 s old presentation is stale
        #expect(policy.presentationMaxAge == 20)
        #expect(policy.maxTokenAge == 31_536_000)
        #expect(policy.disclose == ["age_over_\(years)"])
        #expect(policy.issuers == nil)
        #expect(policy.rule == nil)
        #expect(!policy.singleUse)
    }

    @Test(arguments: [("student-discount", "student"), ("senior-discount", "senior")])
    func concessionPolicies(id: String, code: String) throws {
        let policy = try #require(try PolicyStore.load(directory: shippedPoliciesDirectory).policy(id: id))
        #expect(policy.accept == [.concession])
        #expect(policy.require == Policy.Requirement(ageOver: nil, concession: [code]))
        #expect(policy.disclose == ["concession"])
    }

    @Test func identityPolicyHasItsRule() throws {
        let policy = try #require(
            try PolicyStore.load(directory: shippedPoliciesDirectory).policy(id: "identity-account-opening"))
        #expect(policy.accept == [.identity])
        #expect(policy.require == Policy.Requirement())
        #expect(policy.rule != nil)
        #expect(policy.disclose == ["given_name", "family_name", "birth_date"])
    }

    @Test func readmeDocumentsEveryShippedPolicy() throws {
        let readme = try String(contentsOf: shippedPoliciesDirectory.appendingPathComponent("README.md"), encoding: .utf8)
        for id in Self.shippedIDs { #expect(readme.contains("| `\(id)` |"), "README.md lacks \(id)") }
        for field in Policy.fieldNames { #expect(readme.contains("`\(field)`"), "README.md lacks \(field)") }
    }

    // MARK: Requirements against claims

    private func claims(
        _ type: AttestationType, ageOver: [Int] = [], concession: String? = nil, identity: IdentityAttributes? = nil
    ) -> Claims {
        Claims(
            issuer: "https://id.example.org", expiresAt: 1_900_000_000, issuedAt: 1_700_000_000,
            tokenID: Array(repeating: 7, count: 16), type: type, ageOver: ageOver, concession: concession,
            identity: identity)
    }

    private func person(born: String, givenName: String = "Ada", familyName: String = "Lovelace") -> IdentityAttributes {
        IdentityAttributes(givenName: givenName, familyName: familyName, birthDate: born)
    }

    /// 2024-06-01T12:00:00Z
    private let now = Date(timeIntervalSince1970: 1_717_243_200)

    @Test func ageRequirementAcceptsHigherThresholdsAndComputesFromBirthDates() throws {
        let store = try PolicyStore.load(directory: shippedPoliciesDirectory)
        let uk = try #require(store.policy(id: "alcohol-uk"))
        let us = try #require(store.policy(id: "alcohol-us"))
        #expect(uk.isRequirementMet(by: claims(.age, ageOver: [18]), now: now))
        #expect(uk.isRequirementMet(by: claims(.age, ageOver: [21]), now: now))
        #expect(!uk.isRequirementMet(by: claims(.age, ageOver: [16]), now: now))
        #expect(!us.isRequirementMet(by: claims(.age, ageOver: [18]), now: now))
        #expect(uk.isRequirementMet(by: claims(.identity, identity: person(born: "2006-06-01")), now: now))
        #expect(!uk.isRequirementMet(by: claims(.identity, identity: person(born: "2006-06-02")), now: now))
        #expect(!uk.isRequirementMet(by: claims(.identity, identity: person(born: "not a date")), now: now))
        #expect(!us.isRequirementMet(by: claims(.identity, identity: person(born: "2006-06-01")), now: now))
    }

    @Test func concessionRequirement() throws {
        let store = try PolicyStore.load(directory: shippedPoliciesDirectory)
        let student = try #require(store.policy(id: "student-discount"))
        #expect(student.isRequirementMet(by: claims(.concession, concession: "student"), now: now))
        #expect(!student.isRequirementMet(by: claims(.concession, concession: "senior"), now: now))
        #expect(!student.isRequirementMet(by: claims(.concession), now: now))
    }

    @Test(arguments: [
        ("2006-06-01", "Ada", "Lovelace", true),
        ("2006-06-02", "Ada", "Lovelace", false),  // 17 until tomorrow
        ("2004-02-29", "Ada", "Lovelace", true),
        ("", "Ada", "Lovelace", false),
        ("06/01/2006", "Ada", "Lovelace", false),  // does not parse: evaluation fails, rule not met
        ("1990-01-01", "", "Lovelace", false),
        ("1990-01-01", "Ada", "", false),
    ])
    func identityAccountOpeningRule(born: String, givenName: String, familyName: String, met: Bool) throws {
        let policy = try #require(
            try PolicyStore.load(directory: shippedPoliciesDirectory).policy(id: "identity-account-opening"))
        let identity = person(born: born, givenName: givenName, familyName: familyName)
        #expect(policy.isRequirementMet(by: claims(.identity, identity: identity), now: now) == met)
    }

    @Test func leapDayBirthsComeOfAgeOnTheFirstOfMarch() {
        let february28 = Date(timeIntervalSince1970: 1_646_006_400)  // 2022-02-28T00:00:00Z
        let march1 = Date(timeIntervalSince1970: 1_646_092_800)  // 2022-03-01T00:00:00Z
        #expect(!Policy.isAtLeast(18, yearsOldWithBirthDate: "2004-02-29", at: february28))
        #expect(Policy.isAtLeast(18, yearsOldWithBirthDate: "2004-02-29", at: march1))
    }

    @Test func ruleDataCarriesClaimsAndNow() {
        let data = LogicValue.ruleData(claims: claims(.age, ageOver: [16, 18]), now: now)
        #expect(data.objectValue?["age_over_18"] == .bool(true))
        #expect(data.objectValue?["age_over_21"] == nil)
        #expect(data.objectValue?["vct"] == .string("age"))
        #expect(data.objectValue?["iat"] == .number(1_700_000_000))
        #expect(data.objectValue?["now"] == .string("2024-06-01T12:00:00.000Z"))
        #expect(data.objectValue?["cti"] == nil)
    }

    // MARK: Building stores in code

    @Test func storeFromPoliciesRejectsDuplicates() throws {
        let policy = Policy(id: "test", title: "Test", accept: [.identity])
        #expect(try PolicyStore(policies: [policy]).all == [policy])
        #expect(throws: PolicyLintError.self) { try PolicyStore(policies: [policy, policy]) }
    }

    @Test func policyDecodesFromBytes() throws {
        let policy = try Policy(json: Array(policyObject().description.utf8), file: "alcohol-uk.json")
        #expect(policy.id == "alcohol-uk")
        #expect(throws: PolicyLintError.self) {
            try Policy(json: Array(policyObject().description.utf8), file: "other.json")
        }
    }
}
