import Foundation
import Testing
@testable import VouchStore

/// API keys on both stores, through the calls a node makes (`createKey`, `authenticateKey`, ...).
@Suite("APIKeyStore")
struct APIKeyStoreTests {
    static let scopeSets: [Set<APIScope>] = [[.issue], [.revoke], [.audit], [.issue, .audit], Set(APIScope.allCases)]

    @Test("a created key authenticates with its secret, keeps its scopes, and is listed", arguments: Backend.allCases)
    func createAndAuthenticate(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let store = APIKeyStore(store: fixture.store)
        var created: [APIKey] = []
        for scopes in Self.scopeSets {
            let (key, secret) = try await store.createKey(name: "till-42", scopes: scopes)
            #expect(secret.hasPrefix("vch_"))
            #expect(secret.count == 4 + 43)
            #expect(!secret.contains("=") && !secret.contains("+") && !secret.contains("/"))
            let found = try #require(try await store.authenticateKey(secret: secret))
            #expect(found == key)
            #expect(found.scopes == scopes)
            #expect(found.name == "till-42")
            created.append(key)
        }
        #expect(Set(try await store.listKeys()) == Set(created))
        #expect(try await store.listKeys().count == Self.scopeSets.count)
    }

    @Test("wrong, malformed and near-miss secrets fail", arguments: Backend.allCases)
    func wrongSecrets(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let store = APIKeyStore(store: fixture.store)
        let (_, secret) = try await store.createKey(name: nil, scopes: [.issue])
        var flipped = Array(secret.utf8)
        flipped[flipped.count - 1] = flipped.last == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        for candidate in ["", "vch_", String(secret.dropFirst(4)), secret + "x", String(decoding: flipped, as: UTF8.self),
                          "vch_" + String(repeating: "A", count: 43), String(repeating: "a", count: 10_000)] {
            #expect(try await store.authenticateKey(secret: candidate) == nil)
        }
    }

    @Test("a revoked key no longer authenticates; revoking twice keeps the first time", arguments: Backend.allCases)
    func revoke(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let clock = Clock(Date(timeIntervalSince1970: 1_700_000_000))
        let store = APIKeyStore(store: fixture.store, now: { clock.now })
        let (key, secret) = try await store.createKey(name: "old", scopes: [.revoke])
        let (other, otherSecret) = try await store.createKey(name: "new", scopes: [.revoke])
        clock.now = Date(timeIntervalSince1970: 1_700_000_100)
        let revoked = try await store.revokeKey(id: key.id)
        #expect(revoked.revokedAt == clock.now)
        clock.now = Date(timeIntervalSince1970: 1_700_000_200)
        #expect(try await store.revokeKey(id: key.id).revokedAt == Date(timeIntervalSince1970: 1_700_000_100))
        #expect(try await store.authenticateKey(secret: secret) == nil)
        #expect(try await store.authenticateKey(secret: otherSecret) == other)
        let listed = try await store.listKeys()
        #expect(listed.map(\.id).sorted() == [key.id, other.id].sorted())
        #expect(listed.first { $0.id == key.id }?.isRevoked == true)
        #expect(listed.first { $0.id == other.id }?.isRevoked == false)
        await #expect(throws: StoreError(code: .notFound, reason: "")) { try await store.revokeKey(id: "key_missing") }
    }

    @Test("a key needs a scope", arguments: Backend.allCases)
    func emptyScopes(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        await #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try await APIKeyStore(store: fixture.store).createKey(name: nil, scopes: [])
        }
        #expect(try await fixture.counts().apiKeys == 0)
    }

    @Test("the secret is never stored, only its hash", arguments: Backend.allCases)
    func secretNotStored(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let store = APIKeyStore(store: fixture.store)
        var secrets: [String] = []
        for index in 0..<20 {
            secrets.append(try await store.createKey(name: "key \(index)", scopes: [.issue]).secret)
        }
        try fixture.checkpointWAL()
        let contents = try await fixture.contents()
        for secret in secrets {
            #expect(!contents.contains(secret))
            // Nor the random part alone.
            #expect(!contents.contains(String(secret.dropFirst(4))))
            #expect(contents.contains(APIKeyStore.hash(secret)))
        }
    }

    @Test("unknown stored scope names grant nothing (no store involved: the same code decodes both backends' rows)")
    func unknownScopes() {
        #expect(APIScope.decode("issue,admin,audit") == [.issue, .audit])
        #expect(APIScope.encode([.audit, .issue, .revoke]) == "issue,revoke,audit")
    }
}

/// A settable clock for tests.
final class Clock: @unchecked Sendable {
    // Tests set it between calls on one task; the lock keeps the checker honest.
    private let lock = NSLock()
    private var value: Date

    init(_ value: Date) {
        self.value = value
    }

    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
