import Foundation
import Synchronization
import VouchCore

/// A token bucket per API key: `rate` requests a second sustained, bursts of `burst`.
final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: Double
    }

    let rate: Double
    let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])
    private let clock: @Sendable () -> Double

    /// - Parameter clock: seconds on a clock that never goes back. By default the monotonic clock: on the
    ///   wall clock, a clock set back an hour refused every key for an hour (found by Tests/ScaleOut/clock.py).
    init(rate: Double, burst: Double? = nil, clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        self.rate = rate
        self.burst = max(1, burst ?? rate * 2)
        self.clock = clock
    }

    private static let origin = ContinuousClock.now

    /// Seconds since the first use of this type, on the monotonic clock.
    @Sendable static func monotonicSeconds() -> Double { origin.duration(to: .now).inSeconds }

    /// Takes one token for `key`; `nil` when allowed, else the whole seconds to wait.
    func take(_ key: String) -> Int? {
        let now = clock()
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, now - bucket.updated) * rate)
            bucket.updated = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
        }
    }
}
