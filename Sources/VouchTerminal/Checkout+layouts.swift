package import Foundation
import VouchVerifier

extension Checkout {
    /// ``Checkout/verifyJSON(_:policyID:now:)`` for text a scanner typed, with
    /// the keyboard-layout repair of ``ScannerLayout``.
    ///
    /// The text is tried as it is first. Only when that reads as
    /// `unrecognized` or `malformed` is each layout's reading tried, and a
    /// reading is kept only when its signature verified (its reason comes
    /// after `bad_signature` in the check order of format.md §3); the answer
    /// then names the layout (`"layout": "de"`). Otherwise the answer for the
    /// text as typed stands: a repair never turns a non-code into a decision.
    package func verifyScanned(_ text: String, policyID: String, now: Date) throws -> [String: Any] {
        let typed = try verifyJSON(text, policyID: policyID, now: now)
        guard let reason = typed["reason"] as? String, Self.unreadable.contains(reason) else { return typed }
        for layout in ScannerLayout.all {
            for candidate in layout.candidates(for: text) {
                var json = try verifyJSON(candidate, policyID: policyID, now: now)
                guard let reason = json["reason"] as? String, Self.signatureVerified(reason) else { continue }
                json["layout"] = layout.id
                return json
            }
        }
        return typed
    }

    /// Reasons that say the text is not a code as typed.
    static var unreadable: Set<String> {
        [Decision.Reason.unrecognized.rawValue, Decision.Reason.malformed.rawValue]
    }

    /// Whether a decision with `reason` got past the signature check.
    static func signatureVerified(_ reason: String) -> Bool {
        let order = Decision.Reason.all.map(\.rawValue)
        guard let index = order.firstIndex(of: reason),
              let signature = order.firstIndex(of: Decision.Reason.badSignature.rawValue) else { return false }
        return index > signature
    }
}
