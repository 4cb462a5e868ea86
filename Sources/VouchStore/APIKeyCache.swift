public import Foundation
import Synchronization

/// Remembers recently authenticated API keys for a few seconds, so a busy
/// till does not cost a database read per request.
///
/// Only keys that authenticated are remembered; an unknown, malformed or
/// revoked secret goes to the store every time (a guessing client cannot fill
/// the cache, and a key created a moment ago works at once). Entries are
/// indexed by the SHA-256 of the secret, as the store is, so the cache holds
/// no usable credential. A key revoked by `vouch apikey revoke` — possibly in
/// another process — stops working at most `timeToLive` seconds later.
/// At most `capacity` keys are held: when full, expired entries are dropped,
/// and if none had expired the cache starts over.
public final class APIKeyCache: Sendable {
    struct Entry {
        var key: APIKey
        var expires: Double
    }

    public let store: APIKeyStore
    public let timeToLive: Double
    public let capacity: Int
    private let entries = Mutex<[[UInt8]: Entry]>([:])
    private let clock: @Sendable () -> Double

    /// - Parameters:
    ///   - store: Where keys live.
    ///   - timeToLive: Seconds an authenticated key is trusted without a new read; 0 disables the cache.
    ///   - capacity: Most keys held at once.
    ///   - clock: Seconds on a clock that only moves forward.
    public init(store: APIKeyStore, timeToLive: Double = 2, capacity: Int = 1024,
                clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.store = store
        self.timeToLive = max(0, timeToLive)
        self.capacity = max(1, capacity)
        self.clock = clock
    }

    /// The live key whose secret this is, as ``APIKeyStore/authenticate(secret:)`` answers it, at most
    /// `timeToLive` seconds old.
    public func authenticate(secret: String) throws -> APIKey? {
        guard let hash = APIKeyStore.presentedHash(secret) else { return nil }
        if let key = cached(hash) { return key }
        let key = try store.authenticate(presentedHash: hash)
        remember(hash, key)
        return key
    }

    /// The key for a hash if it was looked up within the time to live.
    func cached(_ hash: [UInt8]) -> APIKey? {
        guard timeToLive > 0 else { return nil }
        let now = clock()
        if let entry = entries.withLock({ $0[hash] }), entry.expires > now { return entry.key }
        return nil
    }

    /// Records a lookup's answer: a key until the time to live passes, a miss by forgetting the hash.
    func remember(_ hash: [UInt8], _ key: APIKey?) {
        guard timeToLive > 0 else { return }
        guard let key else {
            entries.withLock { _ = $0.removeValue(forKey: hash) }
            return
        }
        let now = clock()
        entries.withLock { entries in
            if entries[hash] == nil, entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[hash] = Entry(key: key, expires: now + timeToLive)
        }
    }

    /// How many keys are held now (for tests and metrics).
    public var count: Int { entries.withLock { $0.count } }
}
