public import Foundation
public import VouchCore

extension Policy {
    /// Whether verified claims meet `require` and `rule` (`requirement_not_met` when not).
    ///
    /// Each requirement applies to the attestation type that can carry it:
    /// - `age_over` N: an age attestation needs some `age_over_M` with M >= N;
    ///   an identity attestation needs `birth_date` plus N years (the
    ///   `plusTime` arithmetic, so 29 February rolls over to 1 March) at or
    ///   before `now`. An unparseable birth date does not meet it.
    /// - `concession`: a concession attestation must carry one of the codes.
    /// - `rule`: must evaluate to a truthy value; an evaluation error
    ///   (missing claim of the wrong type, bad date, limits) does not meet it.
    ///
    /// The caller has already checked that `claims.type` is in ``accept``.
    public func isRequirementMet(by claims: Claims, now: Date) -> Bool {
        if let years = require.ageOver {
            switch claims.type {
            case .age:
                guard claims.ageOver.contains(where: { $0 >= years }) else { return false }
            case .identity:
                guard let birthDate = claims.identity?.birthDate,
                    Self.isAtLeast(years, yearsOldWithBirthDate: birthDate, at: now)
                else { return false }
            default:
                break
            }
        }
        if let codes = require.concession, claims.type == .concession {
            guard let code = claims.concession, codes.contains(code) else { return false }
        }
        if let rule {
            guard (try? rule.isSatisfied(by: .ruleData(claims: claims, now: now))) == true else { return false }
        }
        return true
    }

    /// Whether someone born on `birthDate` (`YYYY-MM-DD`, midnight UTC) is
    /// `years` old at `now`; `false` when the date does not parse.
    public static func isAtLeast(_ years: Int, yearsOldWithBirthDate birthDate: String, at now: Date) -> Bool {
        guard let birth = LogicDateTime(parsing: birthDate), let adult = birth.adding(years, .year),
            let current = LogicDateTime(parsing: LogicValue.iso8601(now))
        else { return false }
        return adult <= current
    }
}
