public import Foundation
import VouchCore

/// What a checkout terminal verifies with: the trust store and policies of
/// the last signed bundle it accepted, when it last heard from its upstream,
/// and the clock floor.
///
/// Two rules on top of ``Verifier``:
///
/// - **Offline window.** Once the last successful sync is older than a
///   policy's `max_status_age`, the terminal cannot know about revocations
///   since then: every code is rejected with `status_unavailable` under that
///   policy (even one whose `status` is `optional`), unless a list it still
///   holds already shows the code revoked or suspended, or the code fails
///   an earlier check.
/// - **Clock floor.** The terminal never believes a clock earlier than the
///   newest signed bundle `iat` it has seen: a terminal whose clock was set
///   back verifies at the floor instead, so it cannot revive expired codes.
public struct TerminalSnapshot: Sendable {
    public let verifier: Verifier
    /// `iat` of the bundle the trust store and policies came from.
    public let bundleIssuedAt: Date
    /// The last time the upstream confirmed this bundle (a fresh download or a 304).
    public let syncedAt: Date
    /// The newest bundle `iat` ever accepted (persisted across restarts).
    public let clockFloor: Date

    public init(verifier: Verifier, bundleIssuedAt: Date, syncedAt: Date, clockFloor: Date) {
        self.verifier = verifier
        self.bundleIssuedAt = bundleIssuedAt
        self.syncedAt = syncedAt
        self.clockFloor = max(clockFloor, bundleIssuedAt)
    }

    /// The time verification uses: `now`, or the floor when `now` is earlier.
    public func effectiveTime(_ now: Date) -> Date { max(now, clockFloor) }

    /// Whether `now` is earlier than the floor (the terminal's clock is behind).
    public func isClockBehind(_ now: Date) -> Bool { now < clockFloor }

    /// Seconds since the last sync, at the effective time (never negative).
    public func trustAge(at now: Date) -> TimeInterval {
        max(0, effectiveTime(now).timeIntervalSince(syncedAt))
    }

    /// Whether the offline window of `policy` has passed.
    public func isOfflineTooLong(for policy: Policy, at now: Date) -> Bool {
        trustAge(at: now) > TimeInterval(policy.maxStatusAge)
    }

    /// A verification with the terminal's rules, and what the cashier's screen should know about it.
    public struct Outcome: Sendable {
        public let decision: Decision
        /// The time the checks used (the floor when the clock is behind).
        public let time: Date
        public let clockBehind: Bool
        /// The offline window of the policy had passed.
        public let offlineTooLong: Bool

        public init(decision: Decision, time: Date, clockBehind: Bool, offlineTooLong: Bool) {
            self.decision = decision
            self.time = time
            self.clockBehind = clockBehind
            self.offlineTooLong = offlineTooLong
        }
    }

    /// Verifies `text` under `policyID`, offline.
    ///
    /// - Throws: ``Verifier/Failure`` as ``Verifier/verify(_:policy:now:)`` does.
    public func verify(_ text: String, policyID: String, now: Date = Date()) throws -> Outcome {
        let time = effectiveTime(now)
        let behind = isClockBehind(now)
        guard var policy = verifier.policies.policy(id: policyID) else {
            return Outcome(decision: Decision(reason: .unknownPolicy, policyID: policyID), time: time,
                           clockBehind: behind, offlineTooLong: false)
        }
        guard isOfflineTooLong(for: policy, at: now) else {
            return Outcome(decision: try verifier.verify(text, policy: policy, now: time), time: time,
                           clockBehind: behind, offlineTooLong: false)
        }
        // Past the window: status is required and only bad news from held lists counts.
        policy.status = .required
        let stale = Verifier(trustStore: verifier.trustStore, policies: verifier.policies,
                             statusSource: BadNewsOnly(base: verifier.statusSource), replayCache: verifier.replayCache)
        return Outcome(decision: try stale.verify(text, policy: policy, now: time), time: time, clockBehind: behind,
                       offlineTooLong: true)
    }
}

/// A status source past the offline window: a revocation or suspension it
/// still knows about stands, anything else is unknown.
struct BadNewsOnly: StatusSource {
    let base: any StatusSource

    func status(of reference: StatusReference, now: Date, maximumAge: TimeInterval) -> StatusLookup {
        switch base.status(of: reference, now: now, maximumAge: .greatestFiniteMagnitude) {
        case .revoked: return .revoked
        case .suspended: return .suspended
        case .valid, .unavailable: return .unavailable
        }
    }
}
