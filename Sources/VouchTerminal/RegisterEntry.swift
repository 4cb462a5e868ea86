public import Foundation

/// One line of the ``TerminalRegister``.
///
/// For a scan: policy, decision (`accept`/`reject`), reason, the layout a
/// scanner's text was read through, and the age of the trust data used. For
/// a manual ID check (`approved`) or a refused sale (`refused`): policy,
/// staff id and a reason from a short list. Nothing else: no code, no token
/// hash, nothing about the customer.
public struct RegisterEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case scan
        /// Staff checked a physical ID and approved the sale.
        case manualCheck = "manual_check"
        /// Staff refused the sale.
        case refusal
    }

    public let at: Date
    public let kind: Kind
    public let policy: String
    /// `accept`/`reject` for a scan, `approved` for a manual check, `refused` for a refusal.
    public let outcome: String
    /// The decision reason of a scan, or one of ``reasons(for:)``.
    public let reason: String
    public let staff: String?
    public let layout: String?
    public let trustAgeSeconds: Int?

    /// Why staff checked an ID by hand.
    public static let manualCheckReasons = ["no_code", "code_refused", "phone_dead", "other"]
    /// Why staff refused a sale.
    public static let refusalReasons = ["no_id", "underage", "id_not_valid", "code_refused", "other"]

    public static func reasons(for kind: Kind) -> [String] {
        switch kind {
        case .scan: return []
        case .manualCheck: return manualCheckReasons
        case .refusal: return refusalReasons
        }
    }

    public static func scan(at: Date, policy: String, decision: String, reason: String, layout: String?,
                            trustAgeSeconds: Int?) -> RegisterEntry {
        RegisterEntry(at: at, kind: .scan, policy: policy, outcome: decision, reason: reason, staff: nil, layout: layout,
                      trustAgeSeconds: trustAgeSeconds)
    }

    /// A manual check or refusal by `staff`.
    public static func staffAction(_ kind: Kind, at: Date, policy: String, staff: String, reason: String) -> RegisterEntry {
        RegisterEntry(at: at, kind: kind, policy: policy, outcome: kind == .refusal ? "refused" : "approved",
                      reason: reason, staff: staff, layout: nil, trustAgeSeconds: nil)
    }

    /// The entry as JSON (what the API returns and the file holds).
    public var jsonObject: [String: Any] {
        var object: [String: Any] = [
            "at": Self.iso(at), "kind": kind.rawValue, "policy": policy, "outcome": outcome, "reason": reason,
        ]
        if let staff { object["staff"] = staff }
        if let layout { object["layout"] = layout }
        if kind == .scan { object["trust_age_seconds"] = trustAgeSeconds ?? NSNull() }
        return object
    }

    func jsonLine() -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: jsonObject, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return [UInt8](data) + [0x0a]
    }

    /// Parses a line of the file; `nil` when it is not a whole, valid entry.
    init?(jsonLine line: [UInt8]) {
        guard line.count <= 4096, let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              let atText = object["at"] as? String, let at = ISO8601DateFormatter().date(from: atText),
              let kind = (object["kind"] as? String).flatMap(Kind.init(rawValue:)),
              let policy = object["policy"] as? String, let outcome = object["outcome"] as? String,
              let reason = object["reason"] as? String
        else { return nil }
        self.init(at: at, kind: kind, policy: policy, outcome: outcome, reason: reason,
                  staff: object["staff"] as? String, layout: object["layout"] as? String,
                  trustAgeSeconds: object["trust_age_seconds"] as? Int)
    }

    init(at: Date, kind: Kind, policy: String, outcome: String, reason: String, staff: String?, layout: String?,
         trustAgeSeconds: Int?) {
        self.at = at
        self.kind = kind
        self.policy = policy
        self.outcome = outcome
        self.reason = reason
        self.staff = staff
        self.layout = layout
        self.trustAgeSeconds = trustAgeSeconds
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
