import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog
@testable import VouchStore

/// Offers and wallets on both stores: redemption is single-use and all-or-nothing with its logged codes.
@Suite("Wallet store")
struct WalletStoreTests {
    static let now = Date(timeIntervalSince1970: 1_760_100_000)

    static func point() throws -> [UInt8] {
        [0x04] + (try SecureRandom.bytes(count: 64))
    }

    static func code() throws -> WalletCode {
        WalletCode(attestation: try Sample.attestation(), holderKeyHash: WalletStore.hash(try point()))
    }

    static func walletID() throws -> String {
        try SecureRandom.bytes(count: 16).map { String(format: "%02x", $0) }.joined()
    }

    func offer(_ store: WalletStore, lifetime: TimeInterval = 600) async throws -> (offer: Offer, secret: [UInt8]) {
        try await store.saveOffer(kind: .age, ageOver: [16, 18], batchSize: 20, now: Self.now, lifetime: lifetime)
    }

    func opening(_ offer: Offer, _ secret: [UInt8], time: Date = now) throws -> WalletOpening {
        WalletOpening(walletID: try Self.walletID(), publicKey: try Self.point(), offerID: offer.id,
                      offerSecretHash: WalletStore.hash(secret), time: time)
    }

    @Test("an offer is found by its secret only, and keeps the thresholds, not a date", arguments: Backend.allCases)
    func offerLookup(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let store = WalletStore(store: fixture.store)
        let (offer, secret) = try await offer(store)
        #expect(try await store.loadOffer(secret: secret) == offer)
        #expect(offer.ageOver == [16, 18] && offer.expiresAt == Self.now.addingTimeInterval(600))
        var other = secret
        other[0] ^= 1
        #expect(try await store.loadOffer(secret: other) == nil)
        #expect(try await store.loadOffer(secret: Array(secret.prefix(31))) == nil)
        let contents = try await fixture.contents()
        #expect(!contents.contains(secret))
        #expect(contents.contains(WalletStore.hash(secret)))
        await #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try await store.saveOffer(kind: .concession, ageOver: [18], batchSize: 1, now: Self.now, lifetime: 60)
        }
    }

    @Test("redeeming creates the wallet and logs every code; a second redemption is refused and writes nothing",
          arguments: Backend.allCases)
    func redeemOnce(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let store = WalletStore(store: fixture.store)
        let writer = try fixture.writer()
        let (offer, secret) = try await offer(store)
        let opening = try opening(offer, secret)
        let codes = try (0..<3).map { _ in try Self.code() }
        let committed = try await writer.redeem(opening, codes: codes)
        #expect(committed.map(\.id) == codes.map(\.attestation.id))
        #expect(committed.map(\.logIndex) == [0, 1, 2])
        let wallet = try #require(try await store.loadWallet(id: opening.walletID))
        #expect(wallet.publicKey == opening.publicKey && wallet.issuedCount == 3 && wallet.ageOver == [16, 18])
        #expect(try await store.loadOffer(secret: secret)?.redeemedAt == Self.now)
        #expect(try await store.loadCodes(wallet: wallet.id).map(\.id) == codes.map(\.attestation.id))
        // The keys the wallet and its codes use are known as used; a stranger's is not.
        #expect(try await store.loadUsedKeyHashes([codes[0].holderKeyHash, WalletStore.hash(opening.publicKey), [9]])
                == [codes[0].holderKeyHash, WalletStore.hash(opening.publicKey)])
        #expect(try await store.loadUsedKeyHashes([]).isEmpty)

        let again = try self.opening(offer, secret)
        await #expect(throws: StoreError(code: .invalidTransition, reason: "")) {
            try await writer.redeem(again, codes: [try Self.code()])
        }
        #expect(await writer.treeSize == 3)
        #expect(try await store.loadWallet(id: again.walletID) == nil)
    }

    @Test("an expired or unknown offer, or a reused key, is refused with nothing logged",
          arguments: Backend.allCases, ["expired", "unknown", "holder", "wallet"])
    func refusals(_ backend: Backend, _ what: String) async throws {
        let fixture = try await BackendFixture(backend)
        let store = WalletStore(store: fixture.store)
        let writer = try fixture.writer()
        let first = try await offer(store)
        let firstOpening = try opening(first.offer, first.secret)
        let firstCode = try Self.code()
        _ = try await writer.redeem(firstOpening, codes: [firstCode])
        let (offer, secret) = try await offer(store, lifetime: 60)
        var opening = try opening(offer, secret)
        var codes = [try Self.code(), try Self.code()]
        let expected: StoreError.Code
        switch what {
        case "expired":
            opening.time = Self.now.addingTimeInterval(60)
            expected = .expired
        case "unknown":
            opening.offerSecretHash = WalletStore.hash(try SecureRandom.bytes(count: 32))
            expected = .notFound
        case "holder":
            codes[1].holderKeyHash = firstCode.holderKeyHash
            expected = .duplicate
        default:
            codes[1].holderKeyHash = WalletStore.hash(firstOpening.publicKey)
            expected = .duplicate
        }
        await #expect(throws: StoreError(code: expected, reason: "")) {
            try await writer.redeem(opening, codes: codes)
        }
        #expect(await writer.treeSize == 1)
        #expect(try await store.loadWallet(id: opening.walletID) == nil)
        #expect(try await store.loadOffer(secret: secret)?.redeemedAt == nil)
        #expect(try await fixture.counts().logEntries == 1)
    }

    @Test("a refresh nonce counts once; a revoked wallet is not refreshed and its codes are revoked and logged",
          arguments: Backend.allCases)
    func refreshAndRevoke(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let store = WalletStore(store: fixture.store)
        let writer = try fixture.writer()
        let (offer, secret) = try await offer(store)
        let opening = try opening(offer, secret)
        _ = try await writer.redeem(opening, codes: [try Self.code(), try Self.code()])
        let nonce = WalletStore.hash(Array("n1".utf8))
        let refresh = WalletRefresh(walletID: opening.walletID, nonceHash: nonce, time: Self.now.addingTimeInterval(5))
        let more = try await writer.refresh(refresh, codes: [try Self.code()])
        #expect(more.count == 1 && more[0].logIndex == 2)
        await #expect(throws: StoreError(code: .duplicate, reason: "")) {
            try await writer.refresh(refresh, codes: [try Self.code()])
        }
        #expect(try await store.loadWallet(id: opening.walletID)?.refreshCount == 1)

        let revocation = try await writer.revokeWallet(id: opening.walletID, time: Self.now.addingTimeInterval(10))
        #expect(!revocation.wasRevoked && revocation.changes.count == 3)
        #expect(revocation.changes.allSatisfy { $0.state == .revoked && $0.logIndex != nil })
        #expect(await writer.treeSize == 6)
        #expect(try await store.loadCodes(wallet: opening.walletID).allSatisfy { $0.state == .revoked })
        let again = try await writer.revokeWallet(id: opening.walletID, time: Self.now.addingTimeInterval(11))
        #expect(again.wasRevoked && again.changes.isEmpty)

        let late = WalletRefresh(walletID: opening.walletID, nonceHash: WalletStore.hash([2]), time: Self.now.addingTimeInterval(20))
        await #expect(throws: StoreError(code: .invalidTransition, reason: "")) {
            try await writer.refresh(late, codes: [try Self.code()])
        }
        #expect(await writer.treeSize == 6)
        await #expect(throws: StoreError(code: .notFound, reason: "")) {
            try await writer.revokeWallet(id: try Self.walletID())
        }
        try await fixture.integrate()
        let report = try await fixture.audit()
        #expect(report.problems.isEmpty && report.treeSize == 6)
    }
}
