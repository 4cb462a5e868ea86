/// The CWT claims of a Vouch attestation (format.md §1).
///
/// Encoding is by hand into a deterministic CBOR map. Decoding is strict: an
/// unknown claim, a wrong type, a false `age_over_NN`, or a claim that does
/// not belong to the attestation's type (a name in an age code) is malformed,
/// because a code that says more than its type allows must not be accepted.
public struct Claims: Hashable, Sendable {
    public var issuer: String
    /// NumericDate seconds.
    public var expiresAt: UInt64
    /// NumericDate seconds.
    public var issuedAt: UInt64
    /// 16 random bytes, unique per attestation.
    public var tokenID: [UInt8]
    public var type: AttestationType
    /// Thresholds NN with `age_over_NN: true`, ascending (age codes).
    public var ageOver: [Int]
    /// The status code of a concession attestation.
    public var concession: String?
    /// The attributes of an identity attestation.
    public var identity: IdentityAttributes?
    public var status: StatusReference?
    /// The holder's key (`cnf`, format.md §6): only that key can present the code.
    public var holderKey: COSEKey?

    public init(issuer: String, expiresAt: UInt64, issuedAt: UInt64, tokenID: [UInt8], type: AttestationType,
                ageOver: [Int] = [], concession: String? = nil, identity: IdentityAttributes? = nil,
                status: StatusReference? = nil, holderKey: COSEKey? = nil) {
        self.issuer = issuer
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.tokenID = tokenID
        self.type = type
        self.ageOver = ageOver
        self.concession = concession
        self.identity = identity
        self.status = status
        self.holderKey = holderKey
    }

    /// Claim keys (RFC 8392 and format.md §1), all unsigned integers: written as `.unsigned(Key.iss)`,
    /// matched as `case .unsigned(Key.iss)` (an integer comparison, where matching a whole CBOR value
    /// compared the enum several times per claim).
    enum Key {
        static let iss: UInt64 = 1
        static let exp: UInt64 = 4
        static let iat: UInt64 = 6
        static let cti: UInt64 = 7
        static let cnf: UInt64 = 8
        static let status: UInt64 = 65535
    }

    /// Thresholds an `age_over_NN` name may carry.
    public static let ageThresholdRange = 1...150

    /// The claims as a CBOR map; only true age claims are written.
    public func cbor() -> CBOR {
        // Built in deterministic key order (integers by value, then text keys by
        // length and bytes), so that encoding never has to sort.
        var pairs: [CBOR.Pair] = [
            CBOR.Pair(.unsigned(Key.iss), .text(issuer)),
            CBOR.Pair(.unsigned(Key.exp), .unsigned(expiresAt)),
            CBOR.Pair(.unsigned(Key.iat), .unsigned(issuedAt)),
            CBOR.Pair(.unsigned(Key.cti), .bytes(tokenID)),
        ]
        pairs.reserveCapacity(12)
        if let holderKey { pairs.append(CBOR.Pair(.unsigned(Key.cnf), holderKey.confirmation())) }
        if let status {
            pairs.append(CBOR.Pair(.unsigned(Key.status), .map([
                CBOR.Pair("status_list", .map([CBOR.Pair("idx", .unsigned(status.index)),
                                               CBOR.Pair("uri", .text(status.uri))])),
            ])))
        }
        pairs.append(CBOR.Pair("vct", .text(type.rawValue)))
        for threshold in ageOver { pairs.append(CBOR.Pair(.text("age_over_" + String(threshold)), true)) }
        if let concession { pairs.append(CBOR.Pair("concession", .text(concession))) }
        if let identity {
            pairs.append(CBOR.Pair("birth_date", .text(identity.birthDate)))
            pairs.append(CBOR.Pair("given_name", .text(identity.givenName)))
            pairs.append(CBOR.Pair("family_name", .text(identity.familyName)))
            if let n = identity.nationality { pairs.append(CBOR.Pair("nationality", .text(n))) }
            if let d = identity.documentNumber { pairs.append(CBOR.Pair("document_number", .text(d))) }
        }
        return .map(pairs)
    }

    /// Deterministic CBOR bytes of the claims, the COSE payload.
    public func encoded() -> [UInt8] { cbor().encoded() }
}
