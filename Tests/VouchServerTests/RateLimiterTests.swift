import Foundation
import Synchronization
import Testing
@testable import VouchServer

@Suite("RateLimiter")
struct RateLimiterTests {
    /// A clock the test moves by hand.
    final class HandClock: Sendable {
        let seconds = Mutex(1000.0)
        func read() -> Double { seconds.withLock { $0 } }
        func move(_ by: Double) { seconds.withLock { $0 += by } }
    }

    @Test("a burst passes, the next request waits, and the bucket refills at the rate")
    func bucket() {
        let clock = HandClock()
        let limiter = RateLimiter(rate: 2, burst: 3, clock: clock.read)
        #expect((0..<3).map { _ in limiter.take("k") } == [nil, nil, nil])
        #expect(limiter.take("k") == 1)
        #expect(limiter.take("other") == nil, "keys have their own buckets")
        clock.move(0.5)
        #expect(limiter.take("k") == nil)
        #expect(limiter.take("k") == 1)
    }

    @Test("a clock that goes back neither refuses a key for the time it went back nor fills the bucket")
    func clockBack() {
        let clock = HandClock()
        let limiter = RateLimiter(rate: 1, burst: 2, clock: clock.read)
        #expect(limiter.take("k") == nil)
        clock.move(-3600)
        #expect(limiter.take("k") == nil, "one token was left")
        #expect(limiter.take("k") == 1, "refused for a second, not for an hour")
        clock.move(1)
        #expect(limiter.take("k") == nil)
    }

    @Test("the default clock is the monotonic one and moves forward")
    func monotonic() async throws {
        let first = RateLimiter.monotonicSeconds()
        try await Task.sleep(for: .milliseconds(20))
        #expect(RateLimiter.monotonicSeconds() - first >= 0.015)
    }
}
