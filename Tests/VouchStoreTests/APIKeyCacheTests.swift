import Foundation
import Synchronization
import Testing
@testable import VouchStore

@Suite("APIKeyCache")
struct APIKeyCacheTests {
    /// Seconds on a clock the test moves by hand.
    final class Ticker: Sendable {
        let seconds = Mutex<Double>(100)
        var now: Double { seconds.withLock { $0 } }
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
    }

    @Test("a revoked key keeps working only until its cached entry expires")
    func revocationWithinTimeToLive() throws {
        let fixture = try StoreFixture()
        let store = APIKeyStore(database: fixture.database)
        let ticker = Ticker()
        let cache = APIKeyCache(store: store, timeToLive: 2, clock: { ticker.now })
        let (key, secret) = try store.create(name: "till", scopes: [.issue])
        #expect(try cache.authenticate(secret: secret) == key)
        try store.revoke(id: key.id)
        ticker.advance(1.9)
        #expect(try cache.authenticate(secret: secret) == key, "inside the time to live the cached key answers")
        ticker.advance(0.2)
        #expect(try cache.authenticate(secret: secret) == nil, "after it, the revocation is seen")
        #expect(cache.count == 0, "the revoked key's entry is dropped")
    }

    @Test("unknown and malformed secrets are never cached, so a key created later works at once")
    func failuresNotCached() throws {
        let fixture = try StoreFixture()
        let store = APIKeyStore(database: fixture.database)
        let cache = APIKeyCache(store: store, clock: { 0 })
        for candidate in ["", "vch_", "vch_unknown", "token", "vch_" + String(repeating: "a", count: 200)] {
            #expect(try cache.authenticate(secret: candidate) == nil)
        }
        #expect(cache.count == 0)
        let (key, secret) = try store.create(name: nil, scopes: [.audit])
        #expect(try cache.authenticate(secret: secret) == key)
        #expect(cache.count == 1)
        #expect(try cache.authenticate(secret: secret + "x") == nil)
    }

    @Test("time to live 0 reads the store every time")
    func disabled() throws {
        let fixture = try StoreFixture()
        let store = APIKeyStore(database: fixture.database)
        let cache = APIKeyCache(store: store, timeToLive: 0, clock: { 0 })
        let (key, secret) = try store.create(name: nil, scopes: [.issue])
        #expect(try cache.authenticate(secret: secret) == key)
        try store.revoke(id: key.id)
        #expect(try cache.authenticate(secret: secret) == nil)
        #expect(cache.count == 0)
    }

    @Test("the cache never holds more than its capacity")
    func bounded() throws {
        let fixture = try StoreFixture()
        let store = APIKeyStore(database: fixture.database)
        let ticker = Ticker()
        let cache = APIKeyCache(store: store, timeToLive: 10, capacity: 3, clock: { ticker.now })
        var secrets: [String] = []
        for _ in 0..<7 { secrets.append(try store.create(name: nil, scopes: [.issue]).secret) }
        for (index, secret) in secrets.enumerated() {
            #expect(try cache.authenticate(secret: secret) != nil)
            #expect(cache.count <= 3)
            if index == 1 { ticker.advance(11) }  // the first two expire: the next insert drops them, not the rest
        }
        #expect(cache.count >= 1)
        // Every key still authenticates, cached or not.
        for secret in secrets { #expect(try cache.authenticate(secret: secret) != nil) }
    }
}
