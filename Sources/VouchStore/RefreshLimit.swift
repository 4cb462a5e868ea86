/// How often a wallet may refresh, counted in the store so that every node shares one allowance.
///
/// A wallet may refresh once per ``interval``, with bursts of ``burst`` (the
/// token bucket the server used to keep in memory per node, where N nodes
/// gave a wallet N times the limit). The store keeps one number per wallet,
/// `wallets.refresh_full_at`: the time at which its allowance is whole again
/// (the "theoretical arrival time" of the generic cell rate algorithm). A
/// refresh at `now` is allowed while `refresh_full_at - now <= (burst - 1) × interval`,
/// and moves it to `max(refresh_full_at, now) + interval`.
///
/// Both backends do that in one conditional UPDATE inside the transaction
/// that logs the refresh's codes, so two nodes racing cannot both pass, and a
/// refused or rolled-back refresh uses nothing. The limit survives a restart
/// because it is a column, not memory.
public struct RefreshLimit: Sendable, Hashable {
    /// Seconds of allowance one refresh uses up (`VOUCH_WALLET_REFRESH_SECONDS`), at least 1.
    public let interval: Int
    /// Refreshes a wallet with a whole allowance may make back to back, at least 1.
    public let burst: Int

    public init(interval: Int, burst: Int = 2) {
        self.interval = max(1, interval)
        self.burst = max(1, burst)
    }

    /// The server's default: once a minute, bursts of two.
    public static let standard = RefreshLimit(interval: 60, burst: 2)

    /// How far ahead of `now` `refresh_full_at` may be for a refresh to pass, in seconds.
    var slack: Int64 { Int64(interval) * Int64(burst - 1) }

    /// The whole seconds to wait before a refresh at `now` would pass, or `nil` if it passes now.
    ///
    /// - Parameter fullAt: The wallet's `refresh_full_at` (Unix seconds), `nil` if it never refreshed.
    public func wait(fullAt: Int64?, now: Int64) -> Int? {
        let over = max(fullAt ?? now, now) - now - slack
        return over > 0 ? Int(over) : nil
    }

    /// The error a refused refresh throws; its transaction then writes nothing.
    func refusal(wallet id: String, fullAt: Int64?, now: Int64) -> StoreError {
        StoreError(code: .rateLimited, reason: "wallet \(id) refreshed more often than once per \(interval) s",
                   retryAfter: wait(fullAt: fullAt, now: now) ?? 1)
    }
}
