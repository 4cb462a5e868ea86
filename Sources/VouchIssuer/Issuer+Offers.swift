public import Foundation

/// The check a concession offer needs before anything is signed (service.md
/// "Holder wallet"); age offers use ``ageThresholdsMet(birthDate:now:thresholds:)``.
extension Issuer {
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
