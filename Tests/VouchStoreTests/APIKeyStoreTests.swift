import Foundation
import Testing
@testable import VouchStore

@Suite("APIKeyStore")
struct APIKeyStoreTests {
    @Test("a created key authenticates with its secret and keeps its scopes", arguments: [
        Set<APIScope>([.issue]), [.revoke], [.audit], [.issue, .audit], Set(APIScope.allCases),
    ])
    func createAndAuthenticate(scopes: Set<APIScope>) throws {
        let fixture = try StoreFixture()
        let store = APIKeyStore(database: fixture.database)
        let (key, secret) = try store.create(name: "till-42", scopes: scopes)
        #expect(secret.hasPrefix("vch_"))
        #expect(secret.count == 4 + 43)
        #expect(!secret.contains("=") && !secret.contains("+") && !secret.contains("/"))
        let found = try #require(try store.authenticate(secret: secret))
        #expect(found == key)
        #expect(found.scopes == scopes)
        #expect(found.name == "till-42")
        #expect(try store.list() == [key])
    }

    @Test("wrong, malformed and near-miss secrets fail")
    func wrongSecrets() throws {
        let fixture = try StoreFixture()
        let store = APIKeyStore(database: fixture.database)
        let (_, secret) = try store.create(name: nil, scopes: [.issue])
        var flipped = Array(secret.utf8)
        flipped[flipped.count - 1] = flipped.last == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        for candidate in ["", "vch_", String(secret.dropFirst(4)), secret + "x", String(decoding: flipped, as: UTF8.self),
                          String(repeating: "a", count: 10_000)] {
            #expect(try store.authenticate(secret: candidate) == nil)
        }
    }

    @Test("a revoked key no longer authenticates; revoking twice keeps the first time")
    func revoke() throws {
        let fixture = try StoreFixture()
        let clock = Clock(Date(timeIntervalSince1970: 1_700_000_000))
        let store = APIKeyStore(database: fixture.database, now: { clock.now })
        let (key, secret) = try store.create(name: "old", scopes: [.revoke])
        let (other, otherSecret) = try store.create(name: "new", scopes: [.revoke])
        clock.now = Date(timeIntervalSince1970: 1_700_000_100)
        let revoked = try store.revoke(id: key.id)
        #expect(revoked.revokedAt == clock.now)
        clock.now = Date(timeIntervalSince1970: 1_700_000_200)
        #expect(try store.revoke(id: key.id).revokedAt == Date(timeIntervalSince1970: 1_700_000_100))
        #expect(try store.authenticate(secret: secret) == nil)
        #expect(try store.authenticate(secret: otherSecret) == other)
        #expect(try store.list().map(\.isRevoked) == [true, false])
        #expect(throws: StoreError(code: .notFound, reason: "")) { try store.revoke(id: "key_missing") }
    }

    @Test("a key needs a scope")
    func emptyScopes() throws {
        let fixture = try StoreFixture()
        #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try APIKeyStore(database: fixture.database).create(name: nil, scopes: [])
        }
    }

    @Test("the secret is never written to disk, only its hash")
    func secretNotStored() throws {
        let fixture = try StoreFixture()
        let store = APIKeyStore(database: fixture.database)
        var secrets: [String] = []
        for index in 0..<20 {
            secrets.append(try store.create(name: "key \(index)", scopes: [.issue]).secret)
        }
        try fixture.database.checkpointWAL()
        for secret in secrets {
            #expect(try !fixture.filesContain(Array(secret.utf8)))
            // Nor the random part alone.
            #expect(try !fixture.filesContain(Array(secret.dropFirst(4).utf8)))
            #expect(try fixture.filesContain(APIKeyStore.hash(secret)))
        }
    }

    @Test("unknown stored scope names grant nothing")
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
