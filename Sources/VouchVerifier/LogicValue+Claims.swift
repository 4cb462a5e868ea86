public import Foundation
public import VouchCore

extension LogicValue {
    /// The data object a policy rule sees: the claims by their format.md
    /// names, plus `now`.
    ///
    /// Keys: `iss`, `exp`, `iat` (NumericDate seconds), `vct`,
    /// `age_over_NN: true` per threshold, `concession`, and for identity
    /// attestations `given_name`, `family_name`, `birth_date`, `nationality`
    /// and `document_number` when present. `now` is a UTC date-time string
    /// (`2025-06-01T12:00:00.000Z`). `cti`, `cnf` and `status` are left out:
    /// they are not for rules to judge.
    ///
    /// - Parameters:
    ///   - claims: the verified claims.
    ///   - now: the terminal's clock.
    public static func ruleData(claims: Claims, now: Date) -> LogicValue {
        var data: [String: LogicValue] = [
            "iss": .string(claims.issuer),
            "exp": .number(Double(claims.expiresAt)),
            "iat": .number(Double(claims.issuedAt)),
            "vct": .string(claims.type.rawValue),
            "now": .string(iso8601(now)),
        ]
        for threshold in claims.ageOver { data["age_over_\(threshold)"] = .bool(true) }
        if let concession = claims.concession { data["concession"] = .string(concession) }
        if let identity = claims.identity {
            data["given_name"] = .string(identity.givenName)
            data["family_name"] = .string(identity.familyName)
            data["birth_date"] = .string(identity.birthDate)
            if let nationality = identity.nationality { data["nationality"] = .string(nationality) }
            if let number = identity.documentNumber { data["document_number"] = .string(number) }
        }
        return .object(data)
    }

    /// `date` as a UTC date-time string with milliseconds, the form
    /// `plusTime` produces and rules compare.
    public static func iso8601(_ date: Date) -> String {
        let raw = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let milliseconds = raw.isNaN ? 0 : raw
        let range = LogicDateTime.range
        let clamped = min(max(milliseconds, Double(range.lowerBound)), Double(range.upperBound))
        return LogicDateTime(milliseconds: Int64(clamped))!.iso8601
    }
}
