import Foundation
import Synchronization
import Testing
@testable import VouchStore

/// The key cache in front of either store, through the async call a node makes (`authenticateKey`).
@Suite("APIKeyCache")
struct APIKeyCacheTests {
    /// Seconds on a clock the test moves by hand.
    final class Ticker: Sendable {
        let seconds = Mutex<Double>(100)
        var now: Double { seconds.withLock { $0 } }
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
    }

    @Test("a revoked key keeps working only until its cached entry expires", arguments: Backend.allCases)
    func revocationWithinTimeToLive(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let store = APIKeyStore(store: fixture.store)
        let ticker = Ticker()
        let cache = APIKeyCache(store: store, timeToLive: 2, clock: { ticker.now })
        let (key, secret) = try await store.createKey(name: "till", scopes: [.issue])
        #expect(try await cache.authenticateKey(secret: secret) == key)
        try await store.revokeKey(id: key.id)
        ticker.advance(1.9)
        #expect(try await cache.authenticateKey(secret: secret) == key, "inside the time to live the cached key answers")
        ticker.advance(0.2)
        #expect(try await cache.authenticateKey(secret: secret) == nil, "after it, the revocation is seen")
        #expect(cache.count == 0, "the revoked key's entry is dropped")
    }

    @Test("a key revoked through one node is refused by another node's cache once its entry expires",
          arguments: Backend.allCases)
    func revocationAcrossNodes(_ backend: Backend) async throws {
        // Two caches on one store: two nodes on one PostgreSQL, or `vouch apikey revoke` beside `vouch serve`.
        let fixture = try await BackendFixture(backend)
        let ticker = Ticker()
        let nodeA = APIKeyCache(store: APIKeyStore(store: fixture.store), timeToLive: 2, clock: { ticker.now })
        let nodeB = APIKeyCache(store: APIKeyStore(store: try await fixture.reopen()), timeToLive: 2,
                                clock: { ticker.now })
        let (key, secret) = try await nodeA.store.createKey(name: nil, scopes: [.issue])
        #expect(try await nodeB.authenticateKey(secret: secret) == key)
        try await nodeA.store.revokeKey(id: key.id)
        #expect(try await nodeB.authenticateKey(secret: secret) == key, "within the cache time")
        ticker.advance(2.1)
        #expect(try await nodeB.authenticateKey(secret: secret) == nil)
        #expect(try await nodeA.authenticateKey(secret: secret) == nil)
    }

    @Test("unknown and malformed secrets are never cached, so a key created later works at once",
          arguments: Backend.allCases)
    func failuresNotCached(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let store = APIKeyStore(store: fixture.store)
        let cache = APIKeyCache(store: store, clock: { 0 })
        for candidate in ["", "vch_", "vch_unknown", "token", "vch_" + String(repeating: "a", count: 200)] {
            #expect(try await cache.authenticateKey(secret: candidate) == nil)
        }
        #expect(cache.count == 0)
        let (key, secret) = try await store.createKey(name: nil, scopes: [.audit])
        #expect(try await cache.authenticateKey(secret: secret) == key)
        #expect(cache.count == 1)
        #expect(try await cache.authenticateKey(secret: secret + "x") == nil)
    }

    @Test("time to live 0 reads the store every time", arguments: Backend.allCases)
    func disabled(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let store = APIKeyStore(store: fixture.store)
        let cache = APIKeyCache(store: store, timeToLive: 0, clock: { 0 })
        let (key, secret) = try await store.createKey(name: nil, scopes: [.issue])
        #expect(try await cache.authenticateKey(secret: secret) == key)
        try await store.revokeKey(id: key.id)
        #expect(try await cache.authenticateKey(secret: secret) == nil)
        #expect(cache.count == 0)
    }

    @Test("the cache never holds more than its capacity", arguments: Backend.allCases)
    func bounded(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let store = APIKeyStore(store: fixture.store)
        let ticker = Ticker()
        let cache = APIKeyCache(store: store, timeToLive: 10, capacity: 3, clock: { ticker.now })
        var secrets: [String] = []
        for _ in 0..<7 { secrets.append(try await store.createKey(name: nil, scopes: [.issue]).secret) }
        for (index, secret) in secrets.enumerated() {
            #expect(try await cache.authenticateKey(secret: secret) != nil)
            #expect(cache.count <= 3)
            if index == 1 { ticker.advance(11) }  // the first two expire: the next insert drops them, not the rest
        }
        #expect(cache.count >= 1)
        // Every key still authenticates, cached or not.
        for secret in secrets { #expect(try await cache.authenticateKey(secret: secret) != nil) }
    }

    @Test("SQLite only: the synchronous call answers as the async one")
    func synchronousOnSQLite() async throws {
        // The synchronous `authenticate(secret:)` reads SQLite directly; PostgreSQL is reached only through the
        // async calls (its synchronous path throws), so there is nothing to compare there.
        let fixture = try await BackendFixture(.sqlite)
        let store = APIKeyStore(store: fixture.store)
        let cache = APIKeyCache(store: store, timeToLive: 0, clock: { 0 })
        let (key, secret) = try store.create(name: nil, scopes: [.issue])
        #expect(try cache.authenticate(secret: secret) == key)
        #expect(try cache.authenticate(secret: secret + "x") == nil)
        try store.revoke(id: key.id)
        #expect(try cache.authenticate(secret: secret) == nil)
    }
}
