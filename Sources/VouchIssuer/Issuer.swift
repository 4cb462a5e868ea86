public import Foundation
public import VouchCore
public import VouchCrypto

/// Builds and signs attestations (format.md §1).
///
/// An issuer holds one signing key and its certificate; `kid` is derived
/// from the certificate. It keeps nothing: a birth date is used to compute
/// which thresholds are met and then dropped with the request.
public struct Issuer: Sendable {
    public let configuration: IssuerConfiguration
    public let certificate: Certificate
    private let key: PrivateKey

    /// - Throws: ``IssuanceError`` when the key does not match the certificate.
    public init(key: PrivateKey, certificate: Certificate, configuration: IssuerConfiguration = .init()) throws {
        guard key.publicKey == certificate.publicKey else {
            throw IssuanceError(.signing, field: nil, "the signing key does not match the issuer certificate")
        }
        self.key = key
        self.certificate = certificate
        self.configuration = configuration
    }

    public var kid: [UInt8] { certificate.kid }
    public var algorithm: SigningAlgorithm { key.algorithm }

    /// Signs claims into an attestation, as they are (tools and tests craft any claims with it; the
    /// `issue…` methods check the clock first).
    public func sign(_ claims: Claims) throws -> IssuedAttestation {
        let sign1: COSESign1
        do {
            sign1 = try COSESign1.sign(algorithm: Int64(key.algorithm.coseValue), kid: kid, payload: claims.encoded()) {
                try key.signature(for: $0)
            }
        } catch {
            throw IssuanceError(.signing, field: nil, "signing failed")
        }
        return IssuedAttestation(claims: claims, coseBytes: sign1.encoded())
    }

    /// Signs a Status List Token (format.md §4) with the issuer key and its `kid`,
    /// so that terminals check it against the same trust store as the attestations.
    ///
    /// - Returns: The COSE_Sign1_Tagged bytes served as `application/statuslist+cwt`.
    /// - Throws: ``IssuanceError`` `.signing` when compression or signing fails.
    public func sign(_ statusList: StatusListToken) throws -> [UInt8] {
        do {
            return try statusList.sign(algorithm: Int64(key.algorithm.coseValue), kid: kid) {
                try key.signature(for: $0)
            }
        } catch {
            throw IssuanceError(.signing, field: nil, "signing the status list failed")
        }
    }

    // MARK: - Age

    /// Issues one age attestation per threshold the holder meets.
    ///
    /// - Parameters:
    ///   - birthDate: `YYYY-MM-DD`; used for the computation only.
    ///   - thresholds: the thresholds asked for; the configured ones when `nil`.
    ///   - validity: seconds of validity; at most the configured age validity.
    /// - Returns: attestations in ascending threshold order, each with one `age_over_NN: true`.
    /// - Throws: ``IssuanceError`` naming `birth_date`, `thresholds` or `valid_for`;
    ///   `.notEligible` when no threshold is met.
    public func issueAge(birthDate: String, now: Date, thresholds: [Int]? = nil, validity: TimeInterval? = nil,
                         status: (() throws -> StatusReference?)? = nil) throws -> [IssuedAttestation] {
        let met = try ageThresholdsMet(birthDate: birthDate, now: now, thresholds: thresholds)
        let lifetime = try checkedValidity(validity, maximum: configuration.ageValidity)
        return try met.map { threshold in
            try issueAge(over: threshold, now: now, validity: lifetime, status: status)
        }
    }

    /// The thresholds a birth date meets today, ascending; the birth date is not kept.
    ///
    /// An offer computes these at the desk and stores only them (service.md
    /// "Holder wallet"), then issues bound codes with ``issueAge(over:now:validity:holderKey:status:)``.
    /// - Throws: ``IssuanceError`` naming `birth_date` or `thresholds`; `.notEligible` when none is met.
    public func ageThresholdsMet(birthDate: String, now: Date, thresholds: [Int]? = nil) throws -> [Int] {
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

    /// Issues one age code for a threshold already established, bound to `holderKey` when one is given.
    ///
    /// - Parameters:
    ///   - threshold: NN of the single `age_over_NN: true` claim.
    ///   - holderKey: the wallet's P-256 key for this code, written as `cnf` (compressed); `nil` for a static code.
    /// - Throws: ``IssuanceError`` naming `thresholds`, `valid_for` or `keys`.
    public func issueAge(over threshold: Int, now: Date, validity: TimeInterval? = nil, holderKey: PublicKey? = nil,
                         status: (() throws -> StatusReference?)? = nil) throws -> IssuedAttestation {
        guard Claims.ageThresholdRange.contains(threshold) else {
            throw IssuanceError.invalid("thresholds", "ages must be between 1 and 150")
        }
        let lifetime = try checkedValidity(validity, maximum: configuration.ageValidity)
        let binding = try Self.confirmation(holderKey)
        let issuedAt = Self.roundedDownToHour(now)
        return try signIssued(Claims(issuer: configuration.issuer, expiresAt: issuedAt + UInt64(lifetime), issuedAt: issuedAt,
                               tokenID: try Self.newTokenID(), type: .age, ageOver: [threshold],
                               status: try status?(), holderKey: binding))
    }

    // MARK: - Concession

    /// Issues a concession (status) attestation that expires when the entitlement ends.
    ///
    /// - Parameters:
    ///   - validUntil: the last day of the entitlement, `YYYY-MM-DD`; the
    ///     attestation expires at the end of that day in the configured time zone.
    ///   - status: reserves the code's status slot; called only once the input is valid, so a refused
    ///     request uses up no slot.
    ///   - holderKey: the wallet's P-256 key for this code, written as `cnf`; `nil` for a static code.
    public func issueConcession(_ concession: String, validUntil: String, now: Date, holderKey: PublicKey? = nil,
                                status: (() throws -> StatusReference?)? = nil) throws -> IssuedAttestation {
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
            throw IssuanceError.invalid("valid_until", "is more than \(Int(configuration.maximumConcessionValidity / 86_400)) days away")
        }
        let binding = try Self.confirmation(holderKey)
        let issuedAt = Self.roundedDownToHour(now)
        return try signIssued(Claims(issuer: configuration.issuer, expiresAt: UInt64(end.timeIntervalSince1970),
                               issuedAt: issuedAt, tokenID: try Self.newTokenID(), type: .concession,
                               concession: concession, status: try status?(), holderKey: binding))
    }

    // MARK: - Identity

    /// Issues an identity attestation after validating every attribute.
    ///
    /// - Parameters:
    ///   - holderKey: the wallet's P-256 key for this code, written as `cnf`; `nil` for a static code.
    ///   - status: reserves the code's status slot; called only once every attribute is valid.
    public func issueIdentity(_ attributes: IdentityAttributes, now: Date, validity: TimeInterval? = nil,
                              holderKey: PublicKey? = nil,
                              status: (() throws -> StatusReference?)? = nil) throws -> IssuedAttestation {
        try IdentityValidation.validate(attributes, today: CalendarDate(now, in: configuration.timeZone))
        let lifetime = try checkedValidity(validity, maximum: configuration.identityValidity)
        let binding = try Self.confirmation(holderKey)
        let issuedAt = UInt64(now.timeIntervalSince1970)
        return try signIssued(Claims(issuer: configuration.issuer, expiresAt: issuedAt + UInt64(lifetime),
                               issuedAt: issuedAt, tokenID: try Self.newTokenID(), type: .identity,
                               identity: attributes, status: try status?(), holderKey: binding))
    }

    // MARK: - Helpers

    /// Whether a code issued at `now` would carry an `iat` inside the certificate's validity (the hour
    /// `iat` is rounded down to, and `now` itself for the end). `/readyz` answers 503 when not, so a load
    /// balancer takes a node whose clock is off out instead of sending it requests it must refuse.
    public func clockFits(_ now: Date) -> Bool {
        certificateCovers(Date(timeIntervalSince1970: TimeInterval(Self.roundedDownToHour(now))))
            && certificateCovers(now)
    }

    /// Whether `date` lies within the issuer certificate's validity, ends included.
    private func certificateCovers(_ date: Date) -> Bool {
        date >= certificate.notValidBefore && date <= certificate.notValidAfter
    }

    /// Signs a code the issuer hands out, refusing if its `iat` is outside the certificate's validity.
    ///
    /// - Throws: ``IssuanceError`` `.clock`: a clock set back (or a certificate not yet valid) would otherwise
    ///   mint codes that every till refuses as `untrusted_issuer`. Found by a node run with its clock behind
    ///   (Tests/ScaleOut/clock.py).
    private func signIssued(_ claims: Claims) throws -> IssuedAttestation {
        guard certificateCovers(Date(timeIntervalSince1970: TimeInterval(claims.issuedAt))) else {
            throw IssuanceError(.clock, field: nil,
                                "the issuer certificate is not valid at the time this code would carry; check the clock")
        }
        return try sign(claims)
    }

    private func checkedValidity(_ validity: TimeInterval?, maximum: TimeInterval) throws -> TimeInterval {
        guard let validity else { return maximum }
        guard validity.isFinite, validity >= 60, validity <= maximum else {
            throw IssuanceError.invalid("valid_for", "must be between 60 and \(Int(maximum)) seconds")
        }
        return validity.rounded(.down)
    }

    /// iat rounded down to the hour, so that codes issued close together cannot be told apart by it.
    static func roundedDownToHour(_ date: Date) -> UInt64 {
        let seconds = UInt64(max(0, date.timeIntervalSince1970))
        return seconds - seconds % 3600
    }

    static func newTokenID() throws -> [UInt8] {
        do {
            return try SecureRandom.bytes(count: 16)
        } catch {
            throw IssuanceError(.signing, field: nil, "no secure random bytes")
        }
    }
}
