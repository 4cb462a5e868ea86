public import VouchCore

/// The outcome of a verification: accept or reject, with exactly one reason.
public struct Decision: Sendable, Hashable {
    /// The reason codes of format.md §3, in the order they are checked.
    public struct Reason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let unknownPolicy = Reason(rawValue: "unknown_policy")
        public static let payloadTooLarge = Reason(rawValue: "payload_too_large")
        public static let unrecognized = Reason(rawValue: "unrecognized")
        public static let malformed = Reason(rawValue: "malformed")
        public static let unsupportedAlgorithm = Reason(rawValue: "unsupported_alg")
        public static let unknownIssuer = Reason(rawValue: "unknown_issuer")
        public static let untrustedIssuer = Reason(rawValue: "untrusted_issuer")
        public static let badSignature = Reason(rawValue: "bad_signature")
        public static let noLogReceipt = Reason(rawValue: "no_log_receipt")
        public static let badLogReceipt = Reason(rawValue: "bad_log_receipt")
        public static let notHolderBound = Reason(rawValue: "not_holder_bound")
        public static let badHolderSignature = Reason(rawValue: "bad_holder_signature")
        public static let presentationExpired = Reason(rawValue: "presentation_expired")
        public static let notYetValid = Reason(rawValue: "not_yet_valid")
        public static let expired = Reason(rawValue: "expired")
        public static let tooOld = Reason(rawValue: "too_old")
        public static let wrongType = Reason(rawValue: "wrong_type")
        public static let requirementNotMet = Reason(rawValue: "requirement_not_met")
        public static let revoked = Reason(rawValue: "revoked")
        public static let suspended = Reason(rawValue: "suspended")
        public static let statusUnavailable = Reason(rawValue: "status_unavailable")
        public static let replayed = Reason(rawValue: "replayed")
        public static let ok = Reason(rawValue: "ok")

        /// Every reason, in check order, `ok` last.
        public static let all: [Reason] = [
            .unknownPolicy, .payloadTooLarge, .unrecognized, .malformed, .unsupportedAlgorithm, .unknownIssuer,
            .untrustedIssuer, .badSignature, .noLogReceipt, .badLogReceipt, .notHolderBound, .badHolderSignature,
            .presentationExpired, .notYetValid, .expired, .tooOld, .wrongType, .requirementNotMet,
            .revoked, .suspended, .statusUnavailable, .replayed, .ok,
        ]

        /// Plain words for a cashier's screen.
        public var message: String {
            switch self {
            case .unknownPolicy: return "Unknown check"
            case .payloadTooLarge: return "Code too large"
            case .unrecognized: return "Not a Vouch code"
            case .malformed: return "Damaged code"
            case .unsupportedAlgorithm: return "Unsupported code"
            case .unknownIssuer: return "Unknown issuer"
            case .untrustedIssuer: return "Issuer not trusted"
            case .badSignature: return "Forged or altered code"
            case .noLogReceipt: return "Code not in the public log"
            case .badLogReceipt: return "Log receipt invalid"
            case .notHolderBound: return "Printed code not accepted: show the wallet"
            case .badHolderSignature: return "Not shown from its own phone"
            case .presentationExpired: return "Code on screen is stale: show it again"
            case .notYetValid: return "Code not yet valid"
            case .expired: return "Code expired"
            case .tooOld: return "Code too old"
            case .wrongType: return "Wrong kind of code"
            case .requirementNotMet: return "Requirement not met"
            case .revoked: return "Revoked"
            case .suspended: return "Suspended"
            case .statusUnavailable: return "Revocation status unavailable"
            case .replayed: return "Code already used"
            default: return "Accepted"
            }
        }

        public var description: String { rawValue }
    }

    public let reason: Reason
    public let policyID: String
    /// The attestation type, once the code decoded.
    public let type: AttestationType?
    /// The claims the policy names in `disclose`, and only those; values as text or booleans.
    public let disclosed: [String: DisclosedValue]

    public var accepted: Bool { reason == .ok }

    public init(reason: Reason, policyID: String, type: AttestationType? = nil,
                disclosed: [String: DisclosedValue] = [:]) {
        self.reason = reason
        self.policyID = policyID
        self.type = type
        self.disclosed = reason == .ok ? disclosed : [:]
    }

    /// A disclosed claim value.
    public enum DisclosedValue: Sendable, Hashable {
        case bool(Bool)
        case text(String)
        case number(UInt64)
    }
}
