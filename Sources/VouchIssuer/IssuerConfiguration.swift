public import Foundation
public import VouchCore

/// What an issuer writes into attestations, with laptop-friendly defaults.
public struct IssuerConfiguration: Sendable, Hashable {
    /// The `iss` claim.
    public var issuer: String
    /// Age thresholds issued by default, one attestation per threshold met.
    public var ageThresholds: [Int]
    /// Validity of an age attestation; format.md allows at most about 3 months.
    public var ageValidity: TimeInterval
    /// Validity of an identity attestation.
    public var identityValidity: TimeInterval
    /// Status codes a concession attestation may carry.
    public var concessionCodes: [String]
    /// The latest a concession entitlement may end, counted from issuance.
    public var maximumConcessionValidity: TimeInterval
    /// The zone in which "today" is counted for birthdays and end-of-day expiry.
    public var timeZone: TimeZone

    public static let defaultConcessionCodes = ["student", "senior", "disability", "veteran", "large_family"]

    public init(issuer: String = "https://vouch.localhost", ageThresholds: [Int] = [16, 18, 21],
                ageValidity: TimeInterval = 90 * 86_400, identityValidity: TimeInterval = 365 * 86_400,
                concessionCodes: [String] = IssuerConfiguration.defaultConcessionCodes,
                maximumConcessionValidity: TimeInterval = 400 * 86_400,
                timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.issuer = issuer
        self.ageThresholds = ageThresholds
        self.ageValidity = ageValidity
        self.identityValidity = identityValidity
        self.concessionCodes = concessionCodes
        self.maximumConcessionValidity = maximumConcessionValidity
        self.timeZone = timeZone
    }
}

/// One signed attestation, ready to hand out.
public struct IssuedAttestation: Sendable, Hashable {
    /// Hex of the `cti` claim: the handle an operator revokes by.
    public var id: String { claims.tokenID.hexString }
    public let claims: Claims
    /// COSE_Sign1_Tagged bytes.
    public let coseBytes: [UInt8]
    /// `VCH1:` text, what the QR code carries.
    public let text: String
    /// The age threshold of an age attestation.
    public var ageOver: Int? { claims.ageOver.first }
    public var expiresAt: Date { Date(timeIntervalSince1970: TimeInterval(claims.expiresAt)) }

    public init(claims: Claims, coseBytes: [UInt8]) {
        self.claims = claims
        self.coseBytes = coseBytes
        self.text = VCH1.encode(coseBytes)
    }
}
