internal import Foundation
internal import VouchCore

/// One reader per field of the schema; each records its problems and
/// returns `nil` when the field is unusable. For nullable fields the result
/// is doubly optional: `.some(nil)` is an explicit JSON `null`.
extension PolicyDecoder {
    /// The value of a required field, or `nil` after recording that it is missing.
    mutating func field(_ name: String) -> LogicValue? {
        guard let value = members[name] else {
            fail(.missingField, name, "is required (use null where the schema allows it)")
            return nil
        }
        return value
    }

    // MARK: Identity

    mutating func identifier() -> String? {
        guard let value = field("id") else { return nil }
        guard case .string(let id) = value else {
            fail(.wrongType, "id", "must be a string, got \(value.abbreviated())")
            return nil
        }
        declaredID = id
        guard Self.isValidID(id) else {
            fail(
                .invalidValue, "id",
                "must be 1-64 lowercase letters, digits and single hyphens, starting with a letter, got "
                    + value.abbreviated())
            return nil
        }
        let fileName = file.split(separator: "/").last.map(String.init) ?? file
        guard fileName == id + ".json" else {
            fail(.idMismatch, "id", "\"\(id)\" does not match the file name \"\(fileName)\" (expected \"\(id).json\")")
            return nil
        }
        return id
    }

    static func isValidID(_ id: String) -> Bool {
        let scalars = Array(id.unicodeScalars)
        guard (1...64).contains(scalars.count), let first = scalars.first, ("a"..."z").contains(first),
            scalars.last != "-"
        else { return false }
        for (scalar, next) in zip(scalars, scalars.dropFirst() + ["x"]) {
            let allowed = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
            guard allowed, !(scalar == "-" && next == "-") else { return false }
        }
        return true
    }

    mutating func title() -> String? {
        guard let value = field("title") else { return nil }
        guard case .string(let title) = value else {
            fail(.wrongType, "title", "must be a string, got \(value.abbreviated())")
            return nil
        }
        let trimmed = title.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed == title, title.count <= 200,
            !title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            fail(
                .invalidValue, "title",
                "must be 1-200 characters of plain text without control characters or surrounding spaces, got "
                    + value.abbreviated())
            return nil
        }
        return title
    }

    // MARK: What is accepted

    mutating func accept() -> [AttestationType]? {
        let known = AttestationType.known.map(\.rawValue)
        guard let value = field("accept"),
            let names = stringList("accept", value, nullable: false, describe: "a non-empty array of attestation types")
                ?? nil
        else { return nil }
        var ok = true
        for name in names where !known.contains(name) {
            let list = known.joined(separator: ", ")
            fail(.invalidValue, "accept", "unknown attestation type \"\(name)\" (known: \(list))")
            ok = false
        }
        return ok ? names.map(AttestationType.init(rawValue:)) : nil
    }

    mutating func requirement(accept: [AttestationType]?) -> Policy.Requirement? {
        guard let value = field("require") else { return nil }
        guard case .object(let members) = value else {
            fail(.wrongType, "require", "must be an object (use {} for no requirement), got \(value.abbreviated())")
            return nil
        }
        let keys = ["age_over", "concession"]
        var ok = true
        for key in members.keys.sorted() where !keys.contains(key) {
            fail(.unknownField, "require.\(key)", "unknown field" + Self.suggestion(for: key, among: keys))
            ok = false
        }
        var ageOver: Int?
        if let age = members["age_over"], age != .null {
            let range = Claims.ageThresholdRange
            let expected = "must be an integer from \(range.lowerBound) to \(range.upperBound)"
            if age.integerValue == nil {
                fail(.wrongType, "require.age_over", "\(expected) or null, got \(age.abbreviated())")
                ok = false
            } else if let years = age.integerValue, !range.contains(years) {
                fail(.invalidValue, "require.age_over", "\(expected), got \(age.abbreviated())")
                ok = false
            } else {
                ageOver = age.integerValue
            }
        }
        var concession: [String]?
        if let codes = members["concession"] {
            let describe = "a non-empty array of concession codes"
            switch stringList("require.concession", codes, nullable: true, describe: describe) {
            case .none: ok = false
            case .some(let list):
                concession = list
                for code in list ?? [] where !Policy.knownConcessions.contains(code) {
                    let known = Policy.knownConcessions.joined(separator: ", ")
                    fail(.invalidValue, "require.concession", "unknown concession \"\(code)\" (known: \(known))")
                    ok = false
                }
            }
        }
        if let accept {
            // Judge presence as written, so that an ill-typed value is not also reported missing.
            let ageGiven = (members["age_over"] ?? .null) != .null
            let concessionGiven = (members["concession"] ?? .null) != .null
            ok = checkRequirement(ageGiven, "require.age_over", .age, in: accept) && ok
            ok = checkRequirement(concessionGiven, "require.concession", .concession, in: accept) && ok
        }
        return ok ? Policy.Requirement(ageOver: ageOver, concession: concession) : nil
    }

    /// A requirement and the type that carries it go together: an age_over
    /// needs "age" accepted, and accepting "age" needs an age_over (an age
    /// code with no threshold to meet would prove nothing).
    private mutating func checkRequirement(
        _ given: Bool, _ field: String, _ type: AttestationType, in accept: [AttestationType]
    ) -> Bool {
        if given, !accept.contains(type) {
            fail(.invalidValue, field, "is given but \"\(type.rawValue)\" is not in accept")
            return false
        }
        if !given, accept.contains(type) {
            fail(.missingField, field, "is required when accept contains \"\(type.rawValue)\"")
            return false
        }
        return true
    }

    // MARK: Times and flags

    /// A number of seconds within `range`; `.some(nil)` for null when `nullable`.
    mutating func duration(_ name: String, in range: ClosedRange<Int>, nullable: Bool = true) -> Int?? {
        guard let value = field(name) else { return nil }
        let expected = "must be a non-negative integer" + (nullable ? " or null" : "")
        if value == .null {
            if nullable { return .some(nil) }
            fail(.wrongType, name, "\(expected), got null")
            return nil
        }
        guard let seconds = value.integerValue else {
            fail(.wrongType, name, "\(expected), got \(value.abbreviated())")
            return nil
        }
        guard seconds >= 0 else {
            fail(.invalidValue, name, "\(expected), got \(value.abbreviated())")
            return nil
        }
        guard range.contains(seconds) else {
            fail(.invalidValue, name, "must be at most \(range.upperBound) seconds, got \(value.abbreviated())")
            return nil
        }
        return .some(seconds)
    }

    mutating func status() -> Policy.StatusCheck? {
        guard let value = field("status") else { return nil }
        let names = Policy.StatusCheck.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        guard case .string(let name) = value else {
            fail(.wrongType, "status", "must be one of \(names), got \(value.abbreviated())")
            return nil
        }
        guard let status = Policy.StatusCheck(rawValue: name) else {
            fail(.invalidValue, "status", "must be one of \(names), got \(value.abbreviated())")
            return nil
        }
        return status
    }

    mutating func logReceipt() -> Policy.LogReceiptCheck? {
        guard let value = field("log_receipt") else { return nil }
        let names = Policy.LogReceiptCheck.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        guard case .string(let name) = value else {
            fail(.wrongType, "log_receipt", "must be one of \(names), got \(value.abbreviated())")
            return nil
        }
        guard let check = Policy.LogReceiptCheck(rawValue: name) else {
            fail(.invalidValue, "log_receipt", "must be one of \(names), got \(value.abbreviated())")
            return nil
        }
        return check
    }

    mutating func boolean(_ name: String) -> Bool? {
        guard let value = field(name) else { return nil }
        guard case .bool(let flag) = value else {
            fail(.wrongType, name, "must be true or false, got \(value.abbreviated())")
            return nil
        }
        return flag
    }
}
