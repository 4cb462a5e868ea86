public import VouchCore

/// What a checkout accepts for one use (selling alcohol, a student discount).
///
/// A policy is loaded from `Policies/<id>.json` by ``PolicyStore`` and is
/// checked strictly on load (see `Policies/README.md` for the schema): a
/// typo must not weaken a policy. The memberwise initializer does not check;
/// it is for tests and for callers that build policies in code.
public struct Policy: Sendable, Hashable {
    /// What the attestation must prove, beyond being valid and of an accepted type.
    public struct Requirement: Sendable, Hashable {
        /// Minimum age in years. Met by an age attestation with any
        /// `age_over_M: true` where M >= this, or by an identity attestation
        /// whose `birth_date` is at least this many years before now.
        public var ageOver: Int?
        /// Concession codes, any one of which a concession attestation must carry.
        public var concession: [String]?

        public init(ageOver: Int? = nil, concession: [String]? = nil) {
            self.ageOver = ageOver
            self.concession = concession
        }
    }

    /// How the terminal uses status lists (revocation).
    public enum StatusCheck: String, Sendable, Hashable, CaseIterable {
        /// The token must carry a status reference and a status list no older
        /// than `max_status_age` must show it valid; otherwise the decision is
        /// `status_unavailable` (or `revoked` / `suspended`).
        case required
        /// Checked when the token has a status reference and a list no older
        /// than `max_status_age` is at hand: a revoked or suspended token is
        /// rejected; with no reference or no fresh list the check is skipped.
        case optional
        /// Status is not looked at.
        case ignore
    }

    /// Whether a code must carry a log receipt (format.md §7).
    public enum LogReceiptCheck: String, Sendable, Hashable, CaseIterable {
        /// A code without a receipt is `no_log_receipt`; one whose receipt
        /// does not verify under a trusted receipt key is `bad_log_receipt`.
        case required
        /// A receipt is checked when present (a bad one is `bad_log_receipt`);
        /// a code without one passes this check.
        case optional
    }

    /// Whether a code must be shown as a holder's `VCP1:` presentation (format.md §6).
    public enum HolderBinding: String, Sendable, Hashable, CaseIterable {
        /// Only presentations are accepted; a static `VCH1:` code is `not_holder_bound`.
        /// A screenshot or photo of a code goes stale within `presentation_max_age`.
        case required
        /// Both are accepted; a presentation is checked fully (holder signature, time, replay).
        case optional
        /// Holder binding is not looked at: a presentation is judged by its credential alone,
        /// as if the code had been shown static.
        case ignore
    }

    /// File name without `.json`; lowercase letters, digits and hyphens.
    public var id: String
    /// Plain text for the cashier's screen.
    public var title: String
    /// Attestation types (`vct`) accepted; anything else is `wrong_type`.
    public var accept: [AttestationType]
    public var require: Requirement
    /// Seconds since `iat` after which a token is `too_old`; `nil` for no limit beyond `exp`.
    public var maxTokenAge: Int?
    /// Seconds of clock difference tolerated for `iat` and `exp`.
    public var clockSkew: Int
    public var status: StatusCheck
    /// Seconds a status list stays usable after it was fetched.
    public var maxStatusAge: Int
    /// Whether a token's `cti` may be accepted only once (`replayed`).
    public var singleUse: Bool
    /// Lowercase hex SHA-256 fingerprints of the issuer certificates allowed;
    /// `nil` allows every issuer in the trust store.
    public var issuers: [String]?
    /// Claim names a decision may show; everything else stays hidden.
    public var disclose: [String]
    /// An extra JSON-Logic condition over the claims and `now`.
    public var rule: JSONLogic?
    /// Whether codes must prove, by a log receipt, that they are in the audit log.
    public var logReceipt: LogReceiptCheck
    /// Whether a static code is accepted or a presentation is needed.
    public var holderBinding: HolderBinding
    /// Seconds a presentation's `t` may lie in the past (plus `clock_skew`) before it is `presentation_expired`.
    public var presentationMaxAge: Int

    public init(
        id: String, title: String, accept: [AttestationType], require: Requirement = Requirement(),
        maxTokenAge: Int? = nil, clockSkew: Int = 300, status: StatusCheck = .required,
        maxStatusAge: Int = 86_400, singleUse: Bool = false, issuers: [String]? = nil,
        disclose: [String] = [], rule: JSONLogic? = nil, logReceipt: LogReceiptCheck = .optional,
        holderBinding: HolderBinding = .optional, presentationMaxAge: Int = Policy.defaultPresentationMaxAge
    ) {
        self.id = id
        self.title = title
        self.accept = accept
        self.require = require
        self.maxTokenAge = maxTokenAge
        self.clockSkew = clockSkew
        self.status = status
        self.maxStatusAge = maxStatusAge
        self.singleUse = singleUse
        self.issuers = issuers
        self.disclose = disclose
        self.rule = rule
        self.logReceipt = logReceipt
        self.holderBinding = holderBinding
        self.presentationMaxAge = presentationMaxAge
    }

    /// `presentation_max_age` when a file leaves it out (format.md §6).
    public static let defaultPresentationMaxAge = 60
}

// MARK: - Vocabulary

extension Policy {
    /// Concession codes a policy may require (format.md §1).
    public static let knownConcessions = ["student", "senior", "disability", "veteran", "large_family"]

    /// Claim names a policy may disclose, besides `age_over_NN`.
    public static let disclosableClaims = [
        "vct", "iss", "exp", "iat", "concession", "given_name", "family_name", "birth_date",
        "nationality", "document_number",
    ]

    /// Whether `name` is a claim a decision can disclose (format.md §1).
    public static func isDisclosableClaim(_ name: String) -> Bool {
        disclosableClaims.contains(name) || ageThreshold(inClaimName: name) != nil
    }

    /// NN for a canonical `age_over_NN` name with NN in ``Claims/ageThresholdRange``.
    static func ageThreshold(inClaimName name: String) -> Int? {
        guard name.hasPrefix("age_over_") else { return nil }
        let digits = name.dropFirst("age_over_".count)
        guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            !digits.hasPrefix("0"), let value = Int(digits), Claims.ageThresholdRange.contains(value)
        else { return nil }
        return value
    }
}
