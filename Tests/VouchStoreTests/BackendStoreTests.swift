import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog
@testable import VouchStore
import VouchPostgresTesting
import Synchronization

/// API keys, status slots and wallets on both stores; on PostgreSQL also as two nodes sharing one database.
@Suite("Keys, slots and wallets on both backends")
struct BackendStoreTests {
    static let now = Date(timeIntervalSince1970: 1_760_100_000)

    @Test("API keys: created, found by secret only, listed, revoked", arguments: Backend.allCases)
    func apiKeys(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let store = APIKeyStore(store: fixture.store)
        let (key, secret) = try await store.createKey(name: "desk", scopes: [.issue, .audit])
        #expect(try await store.authenticateKey(secret: secret) == key)
        #expect(try await store.authenticateKey(secret: secret + "x") == nil)
        #expect(try await store.authenticateKey(secret: "vch_" + String(repeating: "A", count: 43)) == nil)
        #expect(try await store.listKeys().map(\.id) == [key.id])
        let revoked = try await store.revokeKey(id: key.id)
        #expect(revoked.isRevoked)
        #expect(try await store.authenticateKey(secret: secret) == nil)
        await #expect(throws: StoreError(code: .notFound, reason: "")) { try await store.revokeKey(id: "key_nope") }
        await #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try await store.createKey(name: nil, scopes: [])
        }
    }

    @Test("a key revoked through one node is refused by another node's cache once its entry expires",
          arguments: Backend.allCases)
    func revocationAcrossNodes(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let clock = TestClock()
        let nodeA = APIKeyCache(store: APIKeyStore(store: fixture.store), timeToLive: 2, clock: { clock.now })
        let nodeB = APIKeyCache(store: APIKeyStore(store: fixture.store), timeToLive: 2, clock: { clock.now })
        let (key, secret) = try await nodeA.store.createKey(name: nil, scopes: [.issue])
        #expect(try await nodeB.authenticateKey(secret: secret) == key)
        try await nodeA.store.revokeKey(id: key.id)
        #expect(try await nodeB.authenticateKey(secret: secret) == key, "within the cache time")
        clock.advance(2.1)
        #expect(try await nodeB.authenticateKey(secret: secret) == nil)
        #expect(try await nodeA.authenticateKey(secret: secret) == nil)
    }

    @Test("three allocators on one PostgreSQL (three nodes started at once) never hand out a slot twice, across list roll-overs")
    func slotsAcrossNodes() async throws {
        let fixture = try await BackendFixture(.postgres)
        let database = try #require(fixture.postgres)
        // Started at once on a new database: they race to create list 0 and claim slots of it.
        let prefix = "https://issuer.test/v1/status/"
        async let first = StatusListAllocator(postgres: database, uriPrefix: prefix, listSize: 300)
        async let second = StatusListAllocator(postgres: database, uriPrefix: prefix, listSize: 300)
        async let third = StatusListAllocator(postgres: database, uriPrefix: prefix, listSize: 300)
        let nodes = try await [first, second, third]
        var slots: [StatusSlot] = []
        for round in 0..<700 {
            var allocation: StatusAllocation?
            var failure: (any Error)?
            // Up to 20 s for a refill: 2 s was not enough once while the whole suite loaded both cores.
            for _ in 0..<4000 where allocation == nil {
                do {
                    allocation = try nodes[round % 3].reserve()
                } catch {
                    failure = error
                    try await Task.sleep(for: .milliseconds(5))  // the pool is refilling
                }
            }
            let taken = try #require(allocation, "\(failure.map { "\($0)" } ?? "")")
            #expect(taken.reference.uri == "https://issuer.test/v1/status/\(taken.slot.list)")
            slots.append(taken.slot)
        }
        #expect(Set(slots).count == slots.count, "a slot was handed out twice")
        #expect(slots.allSatisfy { (0..<300).contains($0.index) })
        #expect(Set(slots.map(\.list)).count >= 3)
        // Random, not sequential: the first 50 slots of list 0 are not 0..<50.
        #expect(slots.prefix(50).map(\.index) != Array(0..<50))
        // What the database recorded agrees, and the writer accepts the slots.
        let writer = try fixture.writer()
        _ = try await writer.commitBulk(try slots.prefix(100).map { try Sample.attestation(statusSlot: $0) })
        #expect(try await fixture.reader.statusLists().count >= 3)
    }

    @Test("a wallet: offer, redeem once, refresh once per nonce, revoke with its codes", arguments: Backend.allCases)
    func walletFlow(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let wallets = WalletStore(store: fixture.store)
        let writer = try fixture.writer()
        let (offer, secret) = try await wallets.saveOffer(kind: .age, ageOver: [16, 18], batchSize: 20, now: Self.now,
                                                           lifetime: 600)
        #expect(try await wallets.loadOffer(secret: secret) == offer)
        var other = secret
        other[0] ^= 1
        #expect(try await wallets.loadOffer(secret: other) == nil)
        let walletKey = [0x04] + (try SecureRandom.bytes(count: 64))
        let walletID = try SecureRandom.bytes(count: 16).map { String(format: "%02x", $0) }.joined()
        let opening = WalletOpening(walletID: walletID, publicKey: walletKey, offerID: offer.id,
                                    offerSecretHash: WalletStore.hash(secret), time: Self.now)
        func code() throws -> WalletCode {
            WalletCode(attestation: try Sample.attestation(),
                       holderKeyHash: WalletStore.hash([0x04] + (try SecureRandom.bytes(count: 64))))
        }
        let first = try (0..<3).map { _ in try code() }
        let committed = try await writer.redeem(opening, codes: first)
        #expect(committed.map(\.logIndex) == [0, 1, 2])
        await #expect(throws: StoreError(code: .invalidTransition, reason: "")) {
            try await writer.redeem(opening, codes: [try code()])
        }
        let wallet = try #require(try await wallets.loadWallet(id: walletID))
        #expect(wallet.issuedCount == 3 && wallet.publicKey == walletKey && wallet.ageOver == [16, 18])
        #expect(try await wallets.loadUsedKeyHashes([first[0].holderKeyHash, WalletStore.hash(walletKey), [9]])
                == [first[0].holderKeyHash, WalletStore.hash(walletKey)])

        let nonce = try SecureRandom.bytes(count: 32)
        let refresh = WalletRefresh(walletID: walletID, nonceHash: nonce, time: Self.now.addingTimeInterval(60))
        _ = try await writer.refresh(refresh, codes: [try code()])
        await #expect(throws: StoreError(code: .duplicate, reason: "")) {
            try await writer.refresh(refresh, codes: [try code()])
        }
        let revocation = try await writer.revokeWallet(id: walletID, time: Self.now.addingTimeInterval(120))
        #expect(!revocation.wasRevoked && revocation.changes.count == 4)
        #expect(try await wallets.loadCodes(wallet: walletID).allSatisfy { $0.state == .revoked })
        await #expect(throws: StoreError(code: .invalidTransition, reason: "")) {
            try await writer.refresh(WalletRefresh(walletID: walletID, nonceHash: try SecureRandom.bytes(count: 32),
                                                   time: Self.now.addingTimeInterval(180)), codes: [try code()])
        }
        try await fixture.integrate()
        #expect(try await fixture.audit().problems.isEmpty)
    }
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let value = Mutex<Double>(1000)
    var now: Double { value.withLock { $0 } }
    func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
}
