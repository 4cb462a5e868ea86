public import Foundation
internal import VouchCore

/// The checks an offer needs before anything is signed (service.md "Holder wallet").
///
/// An offer is made at the desk, where the birth date is at hand, and redeemed
/// later by the phone, when it is gone: so the thresholds met are worked out
/// here, at once, and only they are kept.
extension Issuer {
    /// The thresholds a holder born on `birthDate` meets today, ascending.
    ///
    /// - Throws: ``IssuanceError`` naming `birth_date` or `thresholds` (the same
    ///   refusals as ``issueAge(birthDate:now:thresholds:validity:status:)``),
    ///   `.notEligible` when no threshold is met.
    public func thresholdsMet(birthDate: String, now: Date, thresholds: [Int]? = nil) throws -> [Int] {
        guard let birth = CalendarDate(birthDate) else {
            throw IssuanceError.invalid("birth_date", "must be a real date written YYYY-MM-DD")
        }
        let today = CalendarDate(now, in: configuration.timeZone)
        guard birth <= today else { throw IssuanceError.invalid("birth_date", "is in the future") }
        guard birth.year >= 1880 else { throw IssuanceError.invalid("birth_date", "is before 1880") }
        let asked = thresholds ?? configuration.ageThresholds
        guard !asked.isEmpty, asked.count <= 16 else {
            throw IssuanceError.invalid("thresholds", "must list between 1 and 16 ages")
        }
        guard asked.allSatisfy({ Claims.ageThresholdRange.contains($0) }) else {
            throw IssuanceError.invalid("thresholds", "ages must be between 1 and 150")
        }
        let age = birth.age(on: today)
        let met = Set(asked).filter { age >= $0 }.sorted()
        guard !met.isEmpty else {
            throw IssuanceError(.notEligible, field: "birth_date", "under every threshold asked for")
        }
        return met
    }

    /// The end of a concession entitlement, checked as ``issueConcession(_:validUntil:now:status:)`` checks it.
    ///
    /// - Returns: The NumericDate at which its codes expire (end of that day in the configured zone).
    /// - Throws: ``IssuanceError`` naming `concession` or `valid_until`.
    public func concessionEnd(_ concession: String, validUntil: String, now: Date) throws -> UInt64 {
        guard configuration.concessionCodes.contains(concession) else {
            throw IssuanceError.invalid("concession",
                                        "must be one of \(configuration.concessionCodes.joined(separator: ", "))")
        }
        guard let until = CalendarDate(validUntil) else {
            throw IssuanceError.invalid("valid_until", "must be a real date written YYYY-MM-DD")
        }
        let end = until.endOfDay(in: configuration.timeZone)
        guard end > now else { throw IssuanceError.invalid("valid_until", "is in the past") }
        guard end.timeIntervalSince(now) <= configuration.maximumConcessionValidity else {
            throw IssuanceError.invalid("valid_until",
                                        "is more than \(Int(configuration.maximumConcessionValidity / 86_400)) days away")
        }
        return UInt64(end.timeIntervalSince1970)
    }
}
