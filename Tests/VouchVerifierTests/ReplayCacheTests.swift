import Foundation
import Testing
import VouchVerifier

@Suite struct ReplayCacheTests {
    static func id(_ n: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16)
        var v = UInt64(n)
        for i in 0..<8 { bytes[15 - i] = UInt8(truncatingIfNeeded: v); v >>= 8 }
        return bytes
    }

    let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func recordsAndDetectsReplay() {
        let cache = ReplayCache(capacity: 10)
        #expect(cache.record(tokenID: Self.id(1), expiresAt: 1_790_000_100, now: now) == .fresh)
        #expect(cache.record(tokenID: Self.id(1), expiresAt: 1_790_000_100, now: now) == .replayed)
        #expect(cache.record(tokenID: Self.id(2), expiresAt: 1_790_000_100, now: now) == .fresh)
        #expect(cache.record(tokenID: [1, 2, 3], expiresAt: 1_790_000_100, now: now) == .replayed)
    }

    /// When full it evicts only expired entries; unexpired ones are never forgotten.
    @Test func evictsOnlyExpiredEntries() {
        let cache = ReplayCache(capacity: 4)
        for i in 0..<2 { #expect(cache.record(tokenID: Self.id(i), expiresAt: 1_790_000_010, now: now) == .fresh) }
        for i in 2..<4 { #expect(cache.record(tokenID: Self.id(i), expiresAt: 1_790_009_999, now: now) == .fresh) }
        #expect(cache.record(tokenID: Self.id(9), expiresAt: 1_790_009_999, now: now) == .full)
        let later = now.addingTimeInterval(60)
        #expect(cache.record(tokenID: Self.id(9), expiresAt: 1_790_009_999, now: later) == .fresh)
        #expect(cache.count == 3)
        #expect(cache.record(tokenID: Self.id(2), expiresAt: 1_790_009_999, now: later) == .replayed)
        #expect(cache.record(tokenID: Self.id(3), expiresAt: 1_790_009_999, now: later) == .replayed)
    }

    /// 1,048,576 entries fit, in storage reserved once and never regrown, within the stated 64 MiB.
    @Test func holdsAMillionEntriesWithinTheMemoryBound() throws {
        let cache = ReplayCache()
        #expect(cache.capacity == 1 << 20)
        let reserved = cache.reservedBytes
        #expect(reserved < 64 << 20, "reserves \(reserved >> 20) MiB")
        for i in 0..<(1 << 20) {
            guard cache.record(tokenID: Self.id(i), expiresAt: 1_800_000_000, now: now) == .fresh else {
                Issue.record("entry \(i) not recorded")
                return
            }
        }
        #expect(cache.count == 1 << 20)
        #expect(cache.reservedBytes == reserved, "storage did not grow")
        #expect(cache.record(tokenID: Self.id(1 << 20), expiresAt: 1_800_000_000, now: now) == .full)
        #expect(cache.record(tokenID: Self.id(5), expiresAt: 1_800_000_000, now: now) == .replayed)
    }
}
