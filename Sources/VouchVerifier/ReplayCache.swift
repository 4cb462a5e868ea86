public import Foundation
import Synchronization

/// Remembers the `cti` of codes accepted under single-use policies.
///
/// Bounded: it holds at most ``capacity`` entries and evicts only entries
/// whose `exp` has passed (an expired code is rejected as `expired` before
/// replay is checked, so forgetting it is safe). Each entry is a 16-byte id
/// and a 4-byte expiry. Memory bound: storage for all ``capacity`` entries
/// is reserved once (pages are touched only as entries arrive) and never
/// regrown: for the default 1,048,576 entries that is 2^21 buckets of
/// 20 bytes plus a bitmap, about 40 MiB; the stated bound is 64 MiB, and a
/// test fills the cache and checks that ``reservedBytes`` stays put under it.
public final class ReplayCache: Sendable {
    /// Outcome of recording a code.
    public enum Outcome: Sendable, Hashable {
        /// First use: recorded.
        case fresh
        /// Seen before and not yet expired.
        case replayed
        /// Full of unexpired entries: nothing can be recorded now.
        case full
    }

    struct Key: Hashable {
        let high: UInt64
        let low: UInt64
    }

    struct State {
        var entries: [Key: UInt32] = [:]
        /// No entry expires before this; sweeping earlier frees nothing.
        var earliestExpiry: UInt32 = .max
        var lastSweep: UInt32 = 0
    }

    public let capacity: Int
    private let state: Mutex<State>

    public init(capacity: Int = 1 << 20) {
        self.capacity = capacity
        var initial = State()
        initial.entries.reserveCapacity(capacity)
        self.state = Mutex(initial)
    }

    public var count: Int { state.withLock { $0.entries.count } }

    /// Bytes of entry storage the cache holds: buckets x (key + value) plus the
    /// occupancy bitmap. Storage is reserved once for ``capacity`` entries and
    /// never regrown, so this is the cache's memory, whatever is recorded.
    public var reservedBytes: Int {
        state.withLock { state in
            let buckets = state.entries.capacity * 4 / 3
            let bucketCount = buckets <= 1 ? 1 : 1 << (Int.bitWidth - (buckets - 1).leadingZeroBitCount)
            return bucketCount * (MemoryLayout<Key>.stride + MemoryLayout<UInt32>.stride) + bucketCount / 8
        }
    }

    /// Records `tokenID` (16 bytes) until `expiresAt`, or reports that it was already used.
    public func record(tokenID: [UInt8], expiresAt: UInt64, now: Date) -> Outcome {
        guard tokenID.count == 16 else { return .replayed }
        var high: UInt64 = 0, low: UInt64 = 0
        for i in 0..<8 { high = high << 8 | UInt64(tokenID[i]) }
        for i in 8..<16 { low = low << 8 | UInt64(tokenID[i]) }
        let key = Key(high: high, low: low)
        let nowSeconds = UInt32(clamping: Int64(now.timeIntervalSince1970))
        let expiry = UInt32(clamping: expiresAt)
        return state.withLock { state in
            if let existing = state.entries[key], existing >= nowSeconds { return .replayed }
            if state.entries.count >= capacity {
                Self.sweep(&state, now: nowSeconds)
                guard state.entries.count < capacity else { return .full }
            }
            state.entries[key] = expiry
            state.earliestExpiry = min(state.earliestExpiry, expiry)
            return .fresh
        }
    }

    /// Drops expired entries; at most once a second, and only when something can have expired.
    private static func sweep(_ state: inout State, now: UInt32) {
        guard now >= state.earliestExpiry, now != state.lastSweep else { return }
        state.lastSweep = now
        // Remove in place: a filtered copy would double the memory for a moment.
        let expired = state.entries.compactMap { $0.value < now ? $0.key : nil }
        for key in expired { state.entries.removeValue(forKey: key) }
        state.earliestExpiry = state.entries.values.min() ?? .max
    }
}
