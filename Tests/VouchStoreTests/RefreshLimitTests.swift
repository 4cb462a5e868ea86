import Foundation
import Testing
import VouchCrypto
@testable import VouchStore
import VouchPostgresTesting

/// The wallet refresh limit kept in the store (``RefreshLimit``): counted in the refresh's own transaction, so it
/// survives a restart and every node on one PostgreSQL shares it, even when they race.
@Suite("Refresh limit in the store")
struct RefreshLimitTests {
    static let now = Date(timeIntervalSince1970: 1_760_000_000)
    static let limit = RefreshLimit(interval: 60, burst: 2)

    @Test("two refreshes back to back, then one per interval; the allowance fills up again", arguments: Backend.allCases)
    func allowance(_ backend: Backend) async throws {
        let place = try await LimitPlace(backend)
        let node = try await place.node()
        let wallet = try await node.redeemedWallet()
        try await node.refresh(wallet, at: 0)
        try await node.refresh(wallet, at: 1)
        // Whole again at +120; one refresh may be 60 s ahead of that: the next passes at +60.
        await node.expectRefused(wallet, at: 2, retryAfter: 58)
        await node.expectRefused(wallet, at: 59, retryAfter: 1)
        try await node.refresh(wallet, at: 60)
        await node.expectRefused(wallet, at: 61, retryAfter: 59)
        // Long unused: the allowance is whole again, two back to back and no more.
        try await node.refresh(wallet, at: 1000)
        try await node.refresh(wallet, at: 1000)
        await node.expectRefused(wallet, at: 1000, retryAfter: 60)
        let record = try #require(try await node.wallets.loadWallet(id: wallet))
        #expect(record.refreshCount == 5 && record.issuedCount == 6)
        #expect(record.refreshFullAt == Self.now.unixSeconds + 1120)
    }

    @Test("a refused refresh writes nothing: its nonce, codes and log entries are not kept", arguments: Backend.allCases)
    func refusalWritesNothing(_ backend: Backend) async throws {
        let place = try await LimitPlace(backend)
        let node = try await place.node()
        let wallet = try await node.redeemedWallet()
        try await node.refresh(wallet, at: 0)
        try await node.refresh(wallet, at: 0)
        let before = try #require(try await node.wallets.loadWallet(id: wallet))
        let nonce = try SecureRandom.bytes(count: 32)
        await node.expectRefused(wallet, at: 0, retryAfter: 60, nonce: nonce)
        #expect(try await node.wallets.loadWallet(id: wallet) == before)
        #expect(try await node.wallets.loadCodes(wallet: wallet).count == 3)
        // The refused request's nonce was not remembered: it passes once the limit allows.
        try await node.refresh(wallet, at: 60, nonce: nonce)
        #expect(try await node.wallets.loadCodes(wallet: wallet).count == 4)
    }

    @Test("the limit survives a restart: a store opened again refuses what the first counted", arguments: Backend.allCases)
    func survivesRestart(_ backend: Backend) async throws {
        let place = try await LimitPlace(backend)
        var first: LimitNode? = try await place.node()
        let wallet = try await first!.redeemedWallet()
        try await first!.refresh(wallet, at: 0)
        try await first!.refresh(wallet, at: 10)
        first?.close()
        first = nil
        let restarted = try await place.node()
        await restarted.expectRefused(wallet, at: 20, retryAfter: 40)
        try await restarted.refresh(wallet, at: 60)
        restarted.close()
    }

    @Test("refreshes racing at once: exactly the burst passes (on PostgreSQL from two nodes)", arguments: Backend.allCases)
    func racing(_ backend: Backend) async throws {
        let place = try await LimitPlace(backend)
        // SQLite has one writer per file; PostgreSQL nodes each have their own pool and writer on one database.
        let nodes = backend == .postgres ? [try await place.node(), try await place.node()] : [try await place.node()]
        defer { nodes.forEach { $0.close() } }
        let wallet = try await nodes[0].redeemedWallet()
        let outcomes = await withTaskGroup(of: StoreError?.self) { group in
            for attempt in 0..<8 {
                let node = nodes[attempt % nodes.count]
                group.addTask {
                    do {
                        try await node.refresh(wallet, at: 0)
                        return nil
                    } catch let error as StoreError {
                        return error
                    } catch {
                        return StoreError(code: .database, reason: "\(error)")
                    }
                }
            }
            return await group.reduce(into: [StoreError?]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == nil }.count == 2, "\(outcomes)")
        #expect(outcomes.compactMap { $0 }.allSatisfy { $0.code == .rateLimited && $0.retryAfter == 60 }, "\(outcomes)")
        let record = try #require(try await nodes[nodes.count - 1].wallets.loadWallet(id: wallet))
        #expect(record.refreshCount == 2 && record.issuedCount == 3)
    }

    @Test("two nodes on one PostgreSQL count against one allowance")
    func twoNodes() async throws {
        let place = try await LimitPlace(.postgres)
        let a = try await place.node(), b = try await place.node()
        defer { a.close(); b.close() }
        let wallet = try await a.redeemedWallet()
        try await b.refresh(wallet, at: 0)
        try await a.refresh(wallet, at: 5)
        // Per node in memory, each node would have allowed two: here both refuse.
        await b.expectRefused(wallet, at: 6, retryAfter: 54)
        await a.expectRefused(wallet, at: 6, retryAfter: 54)
        try await b.refresh(wallet, at: 65)
        await a.expectRefused(wallet, at: 66, retryAfter: 54)
    }
}

/// Where a store lives beyond one open: a SQLite data directory, or one PostgreSQL database for several nodes.
final class LimitPlace: Sendable {
    let backend: Backend
    let directory: URL
    let url: PostgresURL?
    let logKey: PrivateKey
    let receiptKey: PrivateKey

    init(_ backend: Backend) async throws {
        self.backend = backend
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vouch-limit-\(UUID().uuidString)")
        url = backend == .postgres ? try await PostgresTestCluster.freshURL() : nil
        logKey = try PrivateKey.generate(.eddsa)
        receiptKey = try PrivateKey.generate(.eddsa)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// A node: the store opened afresh, with its own writer.
    func node() async throws -> LimitNode {
        let store: Store
        if let url {
            var timeouts = PostgresTimeouts()
            timeouts.operation = 60
            timeouts.statement = 30
            store = .postgres(try await PostgresDatabase.open(url, timeouts: timeouts))
        } else {
            store = .sqlite(try VouchDatabase(dataDirectory: directory))
        }
        let writer = try IssuanceWriter(store: store, logKey: logKey, receiptKey: receiptKey, origin: StoreFixture.origin)
        return LimitNode(store: store, writer: writer)
    }
}

/// One node's store, writer and wallet calls; times are seconds after ``RefreshLimitTests/now``.
struct LimitNode: Sendable {
    let store: Store
    let writer: IssuanceWriter
    var wallets: WalletStore { WalletStore(store: store) }

    func close() {
        if case .postgres(let database) = store { database.close() }
    }

    static func code() throws -> WalletCode {
        WalletCode(attestation: try Sample.attestation(),
                   holderKeyHash: WalletStore.hash([0x04] + (try SecureRandom.bytes(count: 64))))
    }

    /// Redeems a fresh offer with one code; returns the wallet id.
    func redeemedWallet() async throws -> String {
        let (offer, secret) = try await wallets.saveOffer(kind: .age, ageOver: [18], batchSize: 20,
                                                          now: RefreshLimitTests.now, lifetime: 600)
        let id = Hex.encode(try SecureRandom.bytes(count: 16))
        let opening = WalletOpening(walletID: id, publicKey: [0x04] + (try SecureRandom.bytes(count: 64)),
                                    offerID: offer.id, offerSecretHash: WalletStore.hash(secret),
                                    time: RefreshLimitTests.now)
        _ = try await writer.redeem(opening, codes: [try Self.code()])
        return id
    }

    func refresh(_ wallet: String, at seconds: Int, nonce: [UInt8]? = nil) async throws {
        let refresh = WalletRefresh(walletID: wallet, nonceHash: try nonce ?? SecureRandom.bytes(count: 32),
                                    time: RefreshLimitTests.now.addingTimeInterval(TimeInterval(seconds)),
                                    limit: RefreshLimitTests.limit)
        let codes = try await writer.refresh(refresh, codes: [try Self.code()])
        #expect(codes.count == 1)
    }

    func expectRefused(_ wallet: String, at seconds: Int, retryAfter: Int, nonce: [UInt8]? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await refresh(wallet, at: seconds, nonce: nonce)
            Issue.record("refresh at +\(seconds) s passed", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            #expect(error.code == .rateLimited, "\(error)", sourceLocation: sourceLocation)
            #expect(error.retryAfter == retryAfter, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record(error, sourceLocation: sourceLocation)
        }
    }
}
