package import Foundation
package import Hummingbird
import Logging
import VouchCore
import VouchHTTP
package import VouchVerifier

/// What the checkout page talks to: a synced ``Terminal``, or an issuer's own
/// verifier when one process plays both roles.
package protocol Checkout: Sendable {
    var role: ServerRole { get }
    var policies: PolicyStore? { get }
    /// The decision JSON of `POST /v1/verify` (format.md §3) plus what the page needs.
    func verifyJSON(_ text: String, policyID: String, now: Date) throws -> [String: Any]
    /// `GET /v1/terminal/state`.
    func stateJSON(now: Date) -> [String: Any]
}

/// The checkout page and its state endpoint; for the terminal role also the
/// verify and policy routes, answered from the synced data.
package struct TerminalController {
    package let checkout: any Checkout
    package let maximumBodySize: Int
    /// Staff accounts and the register; `nil` where there are none (`--role all`).
    let desk: TerminalDesk?
    /// Where trust data comes from, shown on the page.
    let upstream: URL?

    package init(checkout: any Checkout, maximumBodySize: Int, desk: TerminalDesk? = nil, upstream: URL? = nil) {
        self.checkout = checkout
        self.maximumBodySize = maximumBodySize
        self.desk = desk
        self.upstream = upstream
    }

    /// `GET /terminal` and `GET /v1/terminal/state`.
    package func addPageRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/terminal") { _, _ in TerminalPage.response() }
        router.get("/v1/terminal/state") { _, _ in
            JSON.response(stateJSON(now: Date()), headers: [.cacheControl: "no-store"])
        }
    }

    /// Everything a terminal process serves.
    func addTerminalRoutes<Context: RequestContext>(to router: Router<Context>) {
        addPageRoutes(to: router)
        router.get("/") { _, _ in Response(status: .found, headers: [.location: "/terminal"]) }
        router.post("/v1/verify", use: verify)
        if let desk {
            DeskController(desk: desk, checkout: checkout, maximumBodySize: maximumBodySize).addRoutes(to: router)
        }
        router.get("/v1/policies") { _, _ in
            JSON.response(["policies": (checkout.policies?.all ?? []).map(\.jsonObject)])
        }
        router.get("/v1/policies/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let policy = checkout.policies?.policy(id: id) else { throw Problem.notFound("no policy \(id)") }
            return JSON.response(policy.jsonObject)
        }
        router.get("/healthz") { _, _ in
            var health: [String: Any] = ["status": "ok"]
            if let terminal = checkout as? Terminal { health["log_checkpoint"] = terminal.checkpointJSON() }
            return JSON.response(health, headers: [.cacheControl: "no-store"])
        }
        if let terminal = checkout as? Terminal { addCheckpointRoute(terminal, to: router) }
        router.get("/readyz") { _, _ in
            guard checkout.policies != nil else { throw Problem.unavailable("no trust data synced yet") }
            return JSON.response(["status": "ready"])
        }
    }

    /// A decision is a normal answer: 200 for accept and reject alike.
    @Sendable func verify<Context: RequestContext>(_ request: Request, context: Context) async throws -> Response {
        let body = try await JSONBody.read(request, limit: maximumBodySize, allowed: ["token", "policy"])
        let token = try body.string("token")
        let policy = try body.string("policy")
        let now = Date()
        let json = try checkout.verifyScanned(token, policyID: policy, now: now)
        if let desk { record(json, policy: policy, at: now, in: desk, context: context) }
        return JSON.response(json)
    }

    /// Counts a scan in the register: policy, decision, reason, layout and trust age, never the code.
    /// A register that cannot be written is logged; the decision is still answered.
    func record(_ json: [String: Any], policy: String, at now: Date, in desk: TerminalDesk,
                context: some RequestContext) {
        guard checkout.policies?.policy(id: policy) != nil else { return }  // unknown_policy: nothing to count under
        let entry = RegisterEntry.scan(at: now, policy: policy, decision: json["decision"] as? String ?? "reject",
                                       reason: json["reason"] as? String ?? "unknown", layout: json["layout"] as? String,
                                       trustAgeSeconds: checkout.stateJSON(now: now)["trust_age_seconds"] as? Int)
        do {
            try desk.register.append(entry)
        } catch {
            context.logger.error("terminal: scan not counted in the register", metadata: ["vouch.error": "\(error)"])
        }
    }

    /// The checkout's state, plus the upstream and what the staff side of the page needs.
    func stateJSON(now: Date) -> [String: Any] {
        var json = checkout.stateJSON(now: now)
        json["upstream"] = upstream.map { ($0.host ?? "") + ($0.port.map { ":\($0)" } ?? "") } ?? NSNull()
        json["staff_accounts"] = desk?.staff.ids.count ?? 0
        json["register_reasons"] = [
            RegisterEntry.Kind.manualCheck.rawValue: RegisterEntry.manualCheckReasons,
            RegisterEntry.Kind.refusal.rawValue: RegisterEntry.refusalReasons,
        ]
        return json
    }
}

// MARK: - The two kinds of checkout

extension Terminal: Checkout {
    package var role: ServerRole { .terminal }
    package var policies: PolicyStore? { snapshot?.verifier.policies }

    package func verifyJSON(_ text: String, policyID: String, now: Date) throws -> [String: Any] {
        let outcome = try verify(text, policyID: policyID, now: now)
        var json = outcome.decision.jsonObject
        json["checked_at"] = TerminalStateText.iso(outcome.time)
        json["clock_behind"] = outcome.clockBehind
        json["offline_too_long"] = outcome.offlineTooLong
        if outcome.offlineTooLong, outcome.decision.reason == .statusUnavailable {
            json["message"] = snapshot == nil ? "No trust data: terminal never synced" : "Offline too long: cannot check revocation"
        }
        return json
    }

    package func stateJSON(now: Date) -> [String: Any] {
        let current = status(now: now)
        var json = TerminalStateText.json(role: role, now: current.effectiveTime, syncedAt: current.syncedAt,
                                          statusSyncedAt: current.statusSyncedAt, offline: current.offline,
                                          clockBehind: current.clockBehind)
        json["bundle_iat"] = current.bundleIssuedAt.map(TerminalStateText.iso) ?? NSNull()
        json["clock_floor"] = TerminalStateText.iso(current.clockFloor)
        json["last_error"] = current.lastError ?? NSNull()
        json["last_attempt_at"] = current.lastAttemptAt.map(TerminalStateText.iso) ?? NSNull()
        let checkpoint = checkpointJSON()
        json["log_checkpoint"] = checkpoint
        if current.syncedAt == nil {
            json["message"] = "No trust data yet: cannot check codes" + (current.lastError.map { " (\($0))" } ?? "")
        } else if current.clockBehind {
            json["message"] = "Clock is behind: checking as of \(TerminalStateText.iso(current.clockFloor))"
        } else if let error = current.lastError {
            json["message"] = "Offline (\(error)): trust data \(json["message"] as? String ?? "")"
        }
        if current.syncedAt != nil, let lacking = checkpoint["message"] as? String {
            json["message"] = "\(json["message"] as? String ?? "") · \(lacking)"
        }
        return json
    }
}

/// The shared shape of `GET /v1/terminal/state`.
package enum TerminalStateText {
    package static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }

    package static func json(role: ServerRole, now: Date, syncedAt: Date?, statusSyncedAt: Date?, offline: Bool,
                     clockBehind: Bool) -> [String: Any] {
        let age = syncedAt.map { max(0, Int(now.timeIntervalSince($0))) }
        return [
            "role": role.rawValue,
            "now": iso(now),
            "trust_synced_at": syncedAt.map(iso) ?? NSNull(),
            "trust_age_seconds": age ?? NSNull(),
            "status_synced_at": statusSyncedAt.map(iso) ?? NSNull(),
            "offline": offline,
            "clock_behind": clockBehind,
            "message": age.map { "\(words($0)) old" } ?? "No trust data yet",
        ]
    }

    /// `45 s`, `12 min`, `3 h`, `2 days`.
    package static func words(_ seconds: Int) -> String {
        switch seconds {
        case ..<60: return "\(seconds) s"
        case ..<3600: return "\(seconds / 60) min"
        case ..<172_800: return "\(seconds / 3600) h"
        default: return "\(seconds / 86_400) days"
        }
    }
}
