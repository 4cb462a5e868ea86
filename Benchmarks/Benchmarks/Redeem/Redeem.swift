import BenchFixtures
import Benchmark
import Foundation
import RawBaselines
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchStore

/// Pair 9: redeeming a wallet offer for 20 holder-bound codes, committed durably, against 20 raw ES256 signatures.
///
/// Ours is what `POST /v1/wallet/redeem` does once the request is checked
/// (Sources/VouchServer/WalletController.swift): for each of 20 holder keys,
/// a status slot from `StatusListAllocator` and
/// `Issuer.issueAge(over:now:holderKey:status:)` (thresholds 16, 18, 21 in
/// turn); the store record of each (token hash of `loggedBytes`); then
/// `IssuanceWriter.redeem`, which in one SQLite transaction on a real store
/// (a temporary directory, WAL, `synchronous=FULL` as `VouchDatabase` sets
/// it, so the commit is an fsync) uses up the offer, creates the wallet,
/// records the 20 attestations with their holder-key hashes, appends 21 log
/// entries and their tiles, signs 20 receipts and a checkpoint; and last the
/// receipts attached to the codes and their `VCH1:` text. Left out, as
/// request handling rather than issuance: JSON, the wallet's proof
/// signature, the offer lookup and the used-key query before signing, and
/// the holder keys' parsing. The offer (a write of its own, made at the
/// desk) and the 20 holder key pairs (made on the phone) are created before
/// `startMeasurement()` in each iteration. The baseline is 20
/// `EVP_DigestSign` of the fixture code's Sig_structure with the same key.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock], timeUnits: .microseconds, warmupIterations: 5,
        scalingFactor: .one, maxDuration: BenchRounds.duration, maxIterations: 1_000_000)

    let batch = 20
    let fixture: BenchFixture
    do { fixture = try BenchFixture.load() } catch { fatalError("benchmark fixture: \(error)") }
    let signer = fixture.signer(.es256)
    let raw: RawKey, toBeSigned: [UInt8]
    do {
        raw = try RawKey(privateKeyDER: signer.key.derRepresentation)
        toBeSigned = try DecodedAttestation(text: signer.token).sign1.toBeSigned()
    } catch {
        fatalError("redeem baseline setup: \(error)")
    }
    guard raw.sign(toBeSigned) > 0 else { fatalError("EVP_DigestSign failed") }
    let store = StoreBox()

    for round in BenchRounds.all {
        Benchmark("Redeem 20 \(round) - baseline 20x EVP_DigestSign") { benchmark in
            for _ in benchmark.scaledIterations {
                for _ in 0..<batch {
                    blackHole(raw.sign(toBeSigned))
                }
            }
        }

        // Where the time goes: the same 20 codes signed and recorded in memory, with no store write.
        Benchmark(
            "Redeem 20 \(round) - ours issueAge x20 only, no commit",
            closure: { benchmark in
                guard let state = store.state else { fatalError("redeem store not set up") }
                for _ in benchmark.scaledIterations {
                    let now = Date()
                    let holderKeys = try (0..<batch).map { _ in try PrivateKey.generate(.es256).publicKey }
                    let keyHashes = holderKeys.map { WalletStore.hash($0.p256Uncompressed ?? []) }
                    benchmark.startMeasurement()
                    blackHole(try state.sign(count: batch, thresholds: [16, 18, 21], now: now,
                                             holderKeys: holderKeys, keyHashes: keyHashes))
                    benchmark.stopMeasurement()
                }
            },
            setup: { store.state = try RedeemStore(fixture: fixture) },
            teardown: { store.close() })

        Benchmark(
            "Redeem 20 \(round) - ours issueAge x20 + IssuanceWriter.redeem (SQLite, fsync)",
            closure: { benchmark in
                guard let state = store.state else { fatalError("redeem store not set up") }
                for _ in benchmark.scaledIterations {
                    // Before the request: the offer made at the desk, the phone's key pairs.
                    let now = Date()
                    let (offer, secret) = try state.wallets.createOffer(
                        kind: .age, ageOver: [16, 18, 21], batchSize: batch, now: now, lifetime: 600)
                    let holderKeys = try (0..<batch).map { _ in try PrivateKey.generate(.es256).publicKey }
                    let walletKey = try PrivateKey.generate(.es256).publicKey
                    let keyHashes = holderKeys.map { WalletStore.hash($0.p256Uncompressed ?? []) }

                    benchmark.startMeasurement()
                    let (signed, codes) = try state.sign(count: batch, thresholds: offer.ageOver, now: now,
                                                         holderKeys: holderKeys, keyHashes: keyHashes)
                    let opening = WalletOpening(
                        walletID: try SecureRandom.bytes(count: 16).hexString,
                        publicKey: walletKey.p256Uncompressed ?? [], offerID: offer.id,
                        offerSecretHash: WalletStore.hash(secret), time: now)
                    _ = try await state.writer.logReceiptKey()
                    let committed = try await state.writer.redeem(opening, codes: codes)
                    guard committed.count == batch else { fatalError("redeem committed \(committed.count) codes") }
                    for (code, entry) in zip(signed, committed) {
                        blackHole(try code.attaching(entry.receipt).text)
                    }
                    benchmark.stopMeasurement()
                }
            },
            setup: { store.state = try RedeemStore(fixture: fixture) },
            teardown: { store.close() })

        // As a server sees redeems: four phones at once, each signing its codes while the writer
        // commits, so their transactions share group commits (and fsyncs). Rate per redeem = 4 / iteration.
        Benchmark(
            "Redeem 20 \(round) - ours 4 concurrent redeems, shared group commits (SQLite, fsync)",
            closure: { benchmark in
                guard let state = store.state else { fatalError("redeem store not set up") }
                for _ in benchmark.scaledIterations {
                    let now = Date()
                    let requests = try (0..<concurrent).map { _ in try RedeemRequest(state: state, batch: batch, now: now) }
                    benchmark.startMeasurement()
                    try await withThrowingTaskGroup(of: Int.self) { group in
                        for request in requests {
                            group.addTask { try await request.redeem(state: state, now: now) }
                        }
                        for try await count in group {
                            guard count == batch else { fatalError("redeem committed \(count) codes") }
                        }
                    }
                    benchmark.stopMeasurement()
                }
            },
            setup: { store.state = try RedeemStore(fixture: fixture) },
            teardown: { store.close() })
    }
}

/// Redeems at once in the concurrent benchmark.
let concurrent = 4

/// What a phone brings to one redeem, made before the measurement: an offer from the desk, its key pairs.
struct RedeemRequest: Sendable {
    let offer: Offer
    let secret: [UInt8]
    let holderKeys: [PublicKey]
    let keyHashes: [[UInt8]]
    let walletKey: PublicKey

    init(state: RedeemStore, batch: Int, now: Date) throws {
        (offer, secret) = try state.wallets.createOffer(kind: .age, ageOver: [16, 18, 21], batchSize: batch, now: now,
                                                        lifetime: 600)
        holderKeys = try (0..<batch).map { _ in try PrivateKey.generate(.es256).publicKey }
        keyHashes = holderKeys.map { WalletStore.hash($0.p256Uncompressed ?? []) }
        walletKey = try PrivateKey.generate(.es256).publicKey
    }

    /// Signs, commits and attaches the receipts, as the single-redeem benchmark does; returns the codes committed.
    func redeem(state: RedeemStore, now: Date) async throws -> Int {
        let (signed, codes) = try state.sign(count: holderKeys.count, thresholds: offer.ageOver, now: now,
                                             holderKeys: holderKeys, keyHashes: keyHashes)
        let opening = WalletOpening(
            walletID: try SecureRandom.bytes(count: 16).hexString, publicKey: walletKey.p256Uncompressed ?? [],
            offerID: offer.id, offerSecretHash: WalletStore.hash(secret), time: now)
        _ = try await state.writer.logReceiptKey()
        let committed = try await state.writer.redeem(opening, codes: codes)
        for (code, entry) in zip(signed, committed) {
            blackHole(try code.attaching(entry.receipt).text)
        }
        return committed.count
    }
}

/// A fresh store in a temporary directory, as `vouch serve` opens one.
struct RedeemStore: Sendable {
    let directory: URL
    let database: VouchDatabase
    let writer: IssuanceWriter
    let allocator: StatusListAllocator
    let wallets: WalletStore
    let issuer: Issuer

    init(fixture: BenchFixture) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vouch-bench-redeem-\(UUID().uuidString)", isDirectory: true)
        database = try VouchDatabase(dataDirectory: directory)
        writer = try IssuanceWriter(database: database, logKey: try PrivateKey.generate(.eddsa),
                                    receiptKey: try PrivateKey.generate(.eddsa), origin: "bench.vouch.localhost/log")
        allocator = try StatusListAllocator(database: database, uriPrefix: "https://vouch.localhost/v1/status/")
        wallets = WalletStore(database: database)
        let signer = fixture.signer(.es256)
        issuer = try Issuer(key: signer.key, certificate: signer.certificate)
    }
}

extension RedeemStore {
    /// Signs one code per holder key, as `WalletController.sign` does: a status slot each,
    /// `issueAge(over:now:holderKey:status:)` with the thresholds in turn, and the store's record.
    func sign(count: Int, thresholds: [Int], now: Date, holderKeys: [PublicKey],
              keyHashes: [[UInt8]]) throws -> ([IssuedAttestation], [WalletCode]) {
        var signed: [IssuedAttestation] = [], codes: [WalletCode] = []
        signed.reserveCapacity(count)
        codes.reserveCapacity(count)
        for index in 0..<count {
            var slot: StatusSlot?
            let code = try issuer.issueAge(
                over: thresholds[index % thresholds.count], now: now, holderKey: holderKeys[index],
                status: {
                    let allocation = try allocator.reserve()
                    slot = allocation.slot
                    return allocation.reference
                })
            signed.append(code)
            codes.append(WalletCode(
                attestation: PendingAttestation(
                    cti: code.claims.tokenID, kid: issuer.kid, vct: code.claims.type,
                    tokenHash: PendingAttestation.tokenHash(of: code.loggedBytes),
                    issuedAt: Date(timeIntervalSince1970: TimeInterval(code.claims.issuedAt)),
                    expiresAt: code.expiresAt, statusSlot: slot),
                holderKeyHash: keyHashes[index]))
        }
        return (signed, codes)
    }
}

/// The store of the running benchmark process (set up for the `ours` benchmark only, one at a time).
final class StoreBox: @unchecked Sendable {
    var state: RedeemStore?

    func close() {
        if let directory = state?.directory {
            state = nil
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
