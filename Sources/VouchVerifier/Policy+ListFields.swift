/// Readers for the list-valued and rule fields of a policy.
extension PolicyDecoder {
    /// An array of distinct strings; `.some(nil)` for null when `nullable`.
    mutating func stringList(
        _ name: String, _ value: LogicValue, nullable: Bool, allowEmpty: Bool = false, describe: String
    ) -> [String]?? {
        let expected = "must be \(describe)" + (nullable ? " or null" : "")
        if value == .null, nullable { return .some(nil) }
        guard case .array(let elements) = value else {
            fail(.wrongType, name, "\(expected), got \(value.abbreviated())")
            return nil
        }
        guard allowEmpty || !elements.isEmpty else {
            fail(.invalidValue, name, "\(expected), got []")
            return nil
        }
        var strings: [String] = []
        var ok = true
        for (position, element) in elements.enumerated() {
            guard case .string(let string) = element else {
                fail(.wrongType, name, "element \(position) must be a string, got \(element.abbreviated())")
                ok = false
                continue
            }
            if strings.contains(string) {
                fail(.invalidValue, name, "lists \"\(string)\" more than once")
                ok = false
            }
            strings.append(string)
        }
        return ok ? .some(strings) : nil
    }

    mutating func issuers() -> [String]?? {
        guard let value = field("issuers"),
            let list = stringList(
                "issuers", value, nullable: true,
                describe: "a non-empty array of SHA-256 certificate fingerprints (use null for any trusted issuer)")
        else { return nil }
        var ok = true
        for fingerprint in list ?? [] where !Self.isFingerprint(fingerprint) {
            fail(
                .invalidValue, "issuers",
                "\"\(fingerprint)\" is not a SHA-256 fingerprint (64 lowercase hexadecimal characters)")
            ok = false
        }
        return ok ? list : nil
    }

    static func isFingerprint(_ text: String) -> Bool {
        text.utf8.count == 64
            && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    mutating func disclose() -> [String]?? {
        guard let value = field("disclose"),
            let list = stringList(
                "disclose", value, nullable: true, allowEmpty: true, describe: "an array of claim names")
        else { return nil }
        var ok = true
        for name in list ?? [] where !Policy.isDisclosableClaim(name) {
            let known = (["age_over_NN"] + Policy.disclosableClaims).joined(separator: ", ")
            fail(.invalidValue, "disclose", "unknown claim \"\(name)\" (known: \(known))")
            ok = false
        }
        return ok ? list : nil
    }

    mutating func rule() -> JSONLogic?? {
        guard let value = field("rule") else { return nil }
        if value == .null { return .some(nil) }
        guard case .object = value else {
            fail(.wrongType, "rule", "must be a JSON-Logic operation (an object) or null, got \(value.abbreviated())")
            return nil
        }
        do {
            return .some(try JSONLogic(value))
        } catch {
            fail(.invalidRule, "rule", error.description)
            return nil
        }
    }
}
