public import Foundation
public import VouchCrypto
internal import GRDB
internal import PostgresNIO
internal import VouchCore

/// The single sequencer of the audit log: records attestations, state
/// changes and key events, each with its log entry, in durable group commits.
///
/// Callers that arrive while a transaction is being written wait in a queue;
/// the next transaction takes all of them (up to ``maximumBatchSize``
/// operations), appends their entries with consecutive indices, updates the
/// tiles, and stores one signed checkpoint for the batch. A call returns only
/// after the transaction holding its operation has committed, and with
/// `synchronous=FULL` a commit is on disk: no token leaves the issuer without
/// its log entry (format.md §5), yet a burst of requests shares one fsync.
///
/// Failures are isolated per call: each call's operations run in their own
/// savepoint and are checked (lengths, duplicates, allowed transitions)
/// before anything is written, so one bad item is rejected alone and the rest
/// of the batch commits. Only a failure of the transaction itself (disk full,
/// I/O error, a corrupt store) fails every call of the batch, and then
/// nothing of the batch is written.
///
/// A caller's cancellation does not withdraw a queued operation: once handed
/// to the writer it is committed or fails as part of its batch.
///
/// On PostgreSQL each call is answered within the store's operation bound,
/// counted from when it queued: past it, a call still queued is withdrawn and
/// never written, and one inside a batch gets its error while the batch goes
/// on (and may still commit: a code its caller never received).
public actor IssuanceWriter {
    /// Counters for metrics and for tests that check batching.
    public struct Statistics: Sendable, Hashable {
        /// Write transactions that committed.
        public var transactions = 0
        /// Write transactions that failed as a whole.
        public var failedTransactions = 0
        /// Operations that committed (attestations, state changes, key events).
        public var committedOperations = 0
        /// Operations rejected on their own (invalid, duplicate, not found).
        public var rejectedOperations = 0
        /// Signed checkpoints stored.
        public var checkpoints = 0
        /// The most operations one transaction carried.
        public var largestBatch = 0
        /// Calls answered with an error at their bound before their batch ended (PostgreSQL only).
        public var expiredCalls = 0
    }

    /// The checkpoint origin line, e.g. `id.example.org/vouch/log`.
    public nonisolated let origin: String
    /// The most operations one transaction takes (a bulk call may exceed it alone).
    public nonisolated let maximumBatchSize: Int

    private let store: Store
    private nonisolated let signer: CheckpointSigner
    /// Signs each code's log receipt as its entry is written.
    public nonisolated let receipts: ReceiptSigner
    private let now: @Sendable () -> Date
    /// The SQLite sequencer (nil on PostgreSQL, where `log_head` holds the next index).
    private var sequencer: LogSequencer?
    /// On PostgreSQL: the log size after this writer's last commit (other nodes append too).
    private var postgresSize = 0
    private var queue: [Job] = []
    /// The calls not yet answered, by job id.
    private var waiting: [UInt64: Waiter] = [:]
    private var nextJobID: UInt64 = 0
    private var draining = false
    private var paused = false
    private var receiptKeyPosition: LogPosition?

    /// Counters since this writer was created.
    public private(set) var statistics = Statistics()

    /// The number of entries in the log.
    ///
    /// On PostgreSQL, where several nodes append, the size this writer saw at its last commit.
    public var treeSize: Int { sequencer?.size ?? postgresSize }

    /// The log's note verifier key, C2SP `vkey` text (`GET /v1/log/key`).
    public nonisolated var verifierKey: String { signer.vkey }

    /// Opens the writer on a store, reading the log's current size and right edge.
    ///
    /// Only one writer may run per database: it is the log's sequencer.
    ///
    /// - Parameters:
    ///   - database: The open store.
    ///   - logKey: The log's Ed25519 key; it signs every checkpoint.
    ///   - receiptKey: The receipt key (format.md §7); it signs every code's receipt.
    ///   - origin: The checkpoint origin line (and the note key name).
    ///   - maximumBatchSize: At least 1.
    ///   - now: The clock for checkpoints and state-change entries.
    /// - Throws: `StoreError.invalidInput` for a non-Ed25519 key or a bad
    ///   origin, `StoreError.corrupt` if the stored log is inconsistent.
    public init(database: VouchDatabase, logKey: PrivateKey, receiptKey: PrivateKey, origin: String,
                maximumBatchSize: Int = 256,
                now: @escaping @Sendable () -> Date = { Date() }) throws {
        try self.init(store: .sqlite(database), logKey: logKey, receiptKey: receiptKey, origin: origin,
                      maximumBatchSize: maximumBatchSize, now: now)
    }

    /// Opens the writer on either store.
    ///
    /// On SQLite only one writer may run per database. On PostgreSQL every
    /// node runs one: they take indices under `log_head`'s row lock, and the
    /// ``PostgresIntegrator`` writes tiles and checkpoints (so ``Statistics/checkpoints`` stays 0 here).
    ///
    /// - Throws: As ``init(database:logKey:receiptKey:origin:maximumBatchSize:now:)``.
    public init(store: Store, logKey: PrivateKey, receiptKey: PrivateKey, origin: String,
                maximumBatchSize: Int = 256,
                now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.store = store
        self.origin = origin
        self.maximumBatchSize = max(1, maximumBatchSize)
        self.now = now
        self.signer = try CheckpointSigner(key: logKey, origin: origin)
        guard receiptKey.publicKey != logKey.publicKey else {
            throw StoreError(code: .invalidInput, reason: "the receipt key must not be the checkpoint key")
        }
        self.receipts = try ReceiptSigner(key: receiptKey, origin: origin)
        if case .sqlite(let database) = store {
            self.sequencer = try database.pool.read { db in try LogSequencer.load(db) }
        }
    }

    /// Records an attestation and its `issued` log entry durably.
    ///
    /// - Returns: Its log index, its signed log receipt and the size of the checkpoint covering it.
    /// - Throws: `StoreError.invalidInput` or `.duplicate` if the item is
    ///   rejected (nothing of it is written); `.database` or `.corrupt` if its
    ///   whole batch failed.
    public func commit(_ item: PendingAttestation) async throws -> CommittedAttestation {
        let outcome = try await submit([.issue(item)])
        return try outcome.issued()[0]
    }

    /// Records many attestations in one transaction, all or none: the bulk path
    /// for imports and benchmarks.
    ///
    /// - Throws: As ``commit(_:)``; if any item is rejected, none is written.
    public func commitBulk(_ items: [PendingAttestation]) async throws -> [CommittedAttestation] {
        guard !items.isEmpty else { return [] }
        return try await submit(items.map(Operation.issue)).issued()
    }

    /// Revokes an attestation (final) and logs `revoked`.
    ///
    /// Revoking a revoked attestation is a no-op that returns `logIndex == nil`.
    ///
    /// - Throws: `StoreError.notFound` if no attestation has that id.
    public func revoke(id: String) async throws -> StateChange {
        try await transition(id: id, to: .revoked)
    }

    /// Suspends a valid attestation and logs `suspended`.
    ///
    /// - Throws: `StoreError.notFound`, or `.invalidTransition` if it was revoked.
    public func suspend(id: String) async throws -> StateChange {
        try await transition(id: id, to: .suspended)
    }

    /// Makes a suspended attestation valid again and logs `reinstated`.
    ///
    /// - Throws: `StoreError.notFound`, or `.invalidTransition` if it was revoked.
    public func reinstate(id: String) async throws -> StateChange {
        try await transition(id: id, to: .valid)
    }

    /// Logs an issuer key entering or leaving service.
    ///
    /// - Throws: `StoreError.invalidInput` for a malformed kid or certificate hash.
    public func record(_ event: KeyEvent) async throws -> LogPosition {
        try await submit([.key(event)]).position()
    }

    /// Logs the receipt key's `key_added` event unless the log already holds it.
    ///
    /// Idempotent: the issuance paths call it before their first commit, so
    /// the key is on the record before any receipt it signed leaves the
    /// issuer. The first call on a store appends the entry; later ones return
    /// where it is (from memory after the first call: no transaction).
    public func logReceiptKey(time: Date? = nil) async throws -> LogPosition {
        if let receiptKeyPosition { return receiptKeyPosition }
        let position = try await submit([.receiptKey(receipts.keyAddedEvent(time: time ?? now()))]).position()
        receiptKeyPosition = position
        return position
    }

    private func transition(id: String, to target: AttestationState) async throws -> StateChange {
        try await submit([.transition(id: id, to: target, time: now())]).stateChange()
    }
}

// MARK: - Queue

extension IssuanceWriter {
    private struct Job {
        let id: UInt64
        let operations: [Operation]
        /// When the call queued it: on PostgreSQL its batch's bound counts from here.
        let queued = ContinuousClock.now
    }

    /// A call waiting for its outcome, and on PostgreSQL the timer that answers it at its bound.
    struct Waiter {
        let continuation: CheckedContinuation<JobOutcome, any Error>
        let timer: Task<Void, Never>?
    }

    func submit(_ operations: [Operation]) async throws -> JobOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let id = nextJobID
            nextJobID += 1
            var timer: Task<Void, Never>?
            if case .postgres(let database) = store {
                // Each call gets its answer within the operation bound, counted from here, however long the
                // batch ahead of it or its own batch takes (the batch goes on, and may still commit).
                let seconds = database.timeouts.operation
                timer = Task {
                    do { try await Task.sleep(for: .seconds(seconds)) } catch { return }
                    await self.expire(id, after: seconds)
                }
            }
            waiting[id] = Waiter(continuation: continuation, timer: timer)
            queue.append(Job(id: id, operations: operations))
            startDrainIfNeeded()
        }
    }

    /// Answers a call, unless its timer did already.
    private func finish(_ id: UInt64, _ result: Result<JobOutcome, any Error>) {
        guard let waiter = waiting.removeValue(forKey: id) else { return }
        waiter.timer?.cancel()
        waiter.continuation.resume(with: result)
    }

    /// A call's bound passed: it is answered with the error a stuck batch would give, and, if still queued,
    /// never written. One already in a batch may still commit; its caller has its 503 and no code.
    private func expire(_ id: UInt64, after seconds: Double) {
        guard waiting[id] != nil else { return }
        queue.removeAll { $0.id == id }
        statistics.expiredCalls += 1
        finish(id, .failure(StoreError(code: .database,
                                       reason: "issuance transaction: PostgreSQL did not answer within \(seconds) s")))
    }

    private func startDrainIfNeeded() {
        guard !draining, !paused, !queue.isEmpty else { return }
        draining = true
        Task { await self.drain() }
    }

    /// Writes batches until the queue is empty; only one drain runs at a time.
    private func drain() async {
        while !queue.isEmpty, !paused {
            let batch = takeBatch()
            let jobs = batch.map(\.operations)
            do {
                let (outcomes, size) = switch store {
                case .sqlite(let database): try await commitSQLite(jobs, database)
                case .postgres(let database): try await commitPostgres(jobs, database, queuedSince: batch[0].queued)
                }
                for (job, outcome) in zip(batch, outcomes) {
                    finish(job.id, outcome.map { $0.finished(treeSize: size) }.mapError { $0 })
                }
            } catch {
                statistics.failedTransactions += 1
                let failure = StoreError.converting(error, "issuance transaction", file: #fileID, line: #line)
                for job in batch {
                    finish(job.id, .failure(failure))
                }
            }
        }
        draining = false
    }

    /// One SQLite transaction: entries, tiles and a checkpoint together.
    private func commitSQLite(_ jobs: [[Operation]], _ database: VouchDatabase) async throws
        -> ([Result<JobOutcome, StoreError>], Int) {
        guard let start = sequencer else { throw StoreError(code: .corrupt, reason: "no sequencer") }
        let signer = signer
        let receipts = receipts
        let time = now()
        let result = try await database.pool.write { db in
            var sequencer = start
            let outcomes = try BatchTransaction.run(db, jobs: jobs, sequencer: &sequencer,
                                                    signer: signer, receipts: receipts, time: time)
            return (outcomes, sequencer)
        }
        sequencer = result.1
        record(batch: jobs, outcomes: result.0, grew: result.1.size > start.size)
        return (result.0, result.1.size)
    }

    /// One PostgreSQL transaction: entries under the `log_head` lock; tiles are the integrator's.
    private func commitPostgres(_ jobs: [[Operation]], _ database: PostgresDatabase,
                                queuedSince: ContinuousClock.Instant) async throws
        -> ([Result<JobOutcome, StoreError>], Int) {
        let logger = database.logger
        // The operation bound counts from when the batch's oldest call queued, not from when the batch
        // starts: else a call queued behind a batch stuck on a database gone away waits one bound for that
        // batch and a second for its own (10 s for a 503, seen in the fault test). At least 1 s for the work.
        let bound = max(1, database.timeouts.operation - queuedSince.duration(to: .now).inSeconds)
        let batch = try await database.withConnection("issuance transaction", timeout: bound) { connection in
            // New codes only (the common batch): one autocommitted statement, see PostgresBatch+Issues.
            if let issues = PostgresBatch.issuesOnly(jobs),
               let result = try await PostgresBatch(connection: connection).runIssues(issues) {
                PostgresMetrics.recordLock(result)
                return result
            }
            try await connection.query("BEGIN", logger: logger)
            do {
                let result = try await PostgresBatch(connection: connection).run(jobs: jobs)
                try await connection.query("COMMIT", logger: logger)
                PostgresMetrics.recordLock(result)
                return result
            } catch {
                try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
        let receipts = receipts
        let outcomes = batch.jobs.map { job in
            job.flatMap { drafts -> Result<JobOutcome, StoreError> in
                do {
                    return .success(JobOutcome(operations: try drafts.map { try $0.resolve(base: batch.base, receipts) }))
                } catch {
                    return .failure(StoreError.converting(error, "sign receipt", file: #fileID, line: #line))
                }
            }
        }
        if batch.count > 0 {
            postgresSize = max(postgresSize, batch.base + batch.count)
        }
        record(batch: jobs, outcomes: outcomes, grew: false)
        return (outcomes, postgresSize)
    }

    /// Takes whole jobs from the front while they fit in one batch (at least one).
    private func takeBatch() -> [Job] {
        var count = 0
        var taken = 0
        for job in queue {
            if taken > 0 && count + job.operations.count > maximumBatchSize { break }
            count += job.operations.count
            taken += 1
        }
        let batch = Array(queue.prefix(taken))
        queue.removeFirst(taken)
        return batch
    }

    private func record(batch jobs: [[Operation]], outcomes: [Result<JobOutcome, StoreError>], grew: Bool) {
        statistics.transactions += 1
        statistics.largestBatch = max(statistics.largestBatch, jobs.reduce(0) { $0 + $1.count })
        for (operations, outcome) in zip(jobs, outcomes) {
            switch outcome {
            case .success: statistics.committedOperations += operations.count
            case .failure: statistics.rejectedOperations += operations.count
            }
        }
        if grew {
            statistics.checkpoints += 1
        }
    }
}

// MARK: - For tests

extension IssuanceWriter {
    /// Holds queued operations back until ``resumeForTesting()``, so a test can
    /// put a known set of callers into one batch.
    func pauseForTesting() {
        paused = true
    }

    func resumeForTesting() {
        paused = false
        startDrainIfNeeded()
    }

    /// The number of calls waiting for a transaction.
    var queuedCallCount: Int { queue.count }
}
