import Foundation
import VouchTerminal
import VouchVerifier

/// An issuer process that also serves the checkout page (`--role all`):
/// its trust store is local, so it is never offline.
struct LocalCheckout: Checkout {
    let services: VouchServices
    var role: ServerRole { .all }
    var policies: PolicyStore? { services.verifier.policies }

    func verifyJSON(_ text: String, policyID: String, now: Date) throws -> [String: Any] {
        var json = try services.verifier.verify(text, policyID: policyID, now: now).jsonObject
        json["checked_at"] = TerminalStateText.iso(now)
        json["clock_behind"] = false
        json["offline_too_long"] = false
        return json
    }

    func stateJSON(now: Date) -> [String: Any] {
        // The trust store is this process's own: always current.
        TerminalStateText.json(role: role, now: now, syncedAt: now, statusSyncedAt: nil, offline: false,
                               clockBehind: false)
    }
}
