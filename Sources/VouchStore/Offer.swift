public import Foundation

/// What a wallet offer will issue (service.md "Holder wallet").
///
/// An offer is made at an issuer's desk after its own identity check and is
/// redeemed once by the holder's phone. It holds only the claims to issue —
/// the age thresholds already met, or a concession and its end date — so the
/// birth date that was checked is never stored. Its secret (the redeem link)
/// is kept only as a SHA-256 hash.
public struct Offer: Sendable, Hashable {
    /// What kind of codes the offer issues.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case age
        case concession
    }

    /// 16 lower-case hex digits; not a secret.
    public let id: String
    public let kind: Kind
    /// Age offers: the thresholds met, ascending.
    public let ageOver: [Int]
    /// Concession offers: the concession code (`student`, ...).
    public let concession: String?
    /// Concession offers: the last day of the entitlement, `YYYY-MM-DD`.
    public let validUntil: String?
    /// How many codes the first redemption may ask for at most.
    public let batchSize: Int
    public let createdAt: Date
    public let expiresAt: Date
    /// When it was redeemed; `nil` while it is still open.
    public let redeemedAt: Date?

    public init(id: String, kind: Kind, ageOver: [Int], concession: String?, validUntil: String?, batchSize: Int,
                createdAt: Date, expiresAt: Date, redeemedAt: Date? = nil) {
        self.id = id
        self.kind = kind
        self.ageOver = ageOver
        self.concession = concession
        self.validUntil = validUntil
        self.batchSize = batchSize
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.redeemedAt = redeemedAt
    }

    /// The `claims` column: thresholds joined by commas, or the concession code.
    var claimsText: String {
        switch kind {
        case .age: ageOver.map(String.init).joined(separator: ",")
        case .concession: concession ?? ""
        }
    }

    /// Parses the `claims` column back.
    static func claims(kind: Kind, text: String) -> (ageOver: [Int], concession: String?) {
        switch kind {
        case .age: (text.split(separator: ",").compactMap { Int($0) }, nil)
        case .concession: ([], text)
        }
    }

    /// Checks what the HTTP layer validated already, so no caller can store a malformed offer.
    func validate() throws {
        func fail(_ reason: String) -> StoreError { StoreError(code: .invalidInput, reason: reason) }
        guard id.utf8.count == 16 else { throw fail("offer id must be 16 hex digits") }
        guard batchSize > 0 else { throw fail("batch size must be positive") }
        guard expiresAt > createdAt else { throw fail("an offer must expire after it is made") }
        switch kind {
        case .age:
            guard !ageOver.isEmpty, concession == nil, validUntil == nil else {
                throw fail("an age offer holds thresholds only")
            }
        case .concession:
            guard ageOver.isEmpty, let concession, !concession.isEmpty, !concession.contains(","),
                  validUntil != nil else {
                throw fail("a concession offer holds a concession and its end date")
            }
        }
    }
}
