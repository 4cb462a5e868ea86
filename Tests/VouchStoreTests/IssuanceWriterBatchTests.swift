import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog
@testable import VouchStore
import VouchPostgresTesting

/// How the writer's group commit treats bad items, bulk calls and failed transactions, on both stores.
@Suite("IssuanceWriter batches")
struct IssuanceWriterBatchTests {
    @Test("a bad item in a batch is rejected alone; the others commit with no index gap", arguments: Backend.allCases)
    func isolation(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        let first = try Sample.attestation(statusSlot: StatusSlot(list: 1, index: 9))
        _ = try await writer.commit(first)
        let before = await writer.statistics

        var duplicateID = try Sample.attestation()
        duplicateID.cti = first.cti
        var badLength = try Sample.attestation()
        badLength.tokenHash = [1, 2, 3]
        var unknownType = try Sample.attestation()
        unknownType.vct = AttestationType(rawValue: "passport")
        let sameToken = try Sample.attestation()
        var sameTokenAgain = try Sample.attestation()
        sameTokenAgain.tokenHash = sameToken.tokenHash
        let batch: [(PendingAttestation, StoreError.Code?)] = [
            (try Sample.attestation(), nil),
            (try Sample.attestation(token: nil), nil),
            (duplicateID, .duplicate),
            (try Sample.attestation(statusSlot: StatusSlot(list: 1, index: 9)), .duplicate),
            (sameToken, nil),
            (sameTokenAgain, .duplicate),
            (badLength, .invalidInput),
            (unknownType, .invalidInput),
            (try Sample.attestation(statusSlot: StatusSlot(list: 1, index: 10)), nil),
        ]

        // Queued one by one, so the batch holds them in this order (the first of two equal tokens wins).
        await writer.pauseForTesting()
        var tasks: [Task<CommittedAttestation, any Error>] = []
        for (item, _) in batch {
            tasks.append(Task { try await writer.commit(item) })
            while await writer.queuedCallCount < tasks.count {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        await writer.resumeForTesting()

        var indices: [Int] = []
        for ((_, expected), task) in zip(batch, tasks) {
            let result = await task.result
            if let expected {
                #expect(throws: StoreError(code: expected, reason: "")) { try result.get() }
            } else {
                indices.append(try result.get().logIndex)
            }
        }
        #expect(indices == [1, 2, 3, 4])
        let after = await writer.statistics
        #expect(after.transactions == before.transactions + 1)
        #expect(after.rejectedOperations == 5)
        let counts = try await fixture.counts()
        #expect(counts.attestations == 5 && counts.logEntries == 5)
        // SQLite signed a checkpoint in each of the two commits; PostgreSQL signs when it integrates.
        #expect(counts.checkpoints == (backend == .sqlite ? 2 : 0))
        try await fixture.integrate()
        let recomputed = try await fixture.recomputedRoot()
        #expect(recomputed.root == (try await fixture.reader.treeHash(size: 5)))
        let report = try await fixture.audit()
        #expect(report.problems.isEmpty && report.treeSize == 5)
    }

    @Test("PostgreSQL: a call is answered at its operation bound however long it waits, and is then never written")
    func callBound() async throws {
        var timeouts = PostgresTimeouts()
        timeouts.statement = 1
        timeouts.operation = 1.5
        let url = try await PostgresTestCluster.freshURL()
        let database = try await PostgresStoreTests.open(url, timeouts: timeouts)
        defer { database.close() }
        let writer = try IssuanceWriter(store: .postgres(database), logKey: try PrivateKey.generate(.eddsa),
                                        receiptKey: try PrivateKey.generate(.eddsa), origin: StoreFixture.origin)
        // Held in the queue, as behind a batch stuck on a database gone away. Without a bound of its own the
        // call waited for ever: the watchdog then lets it through, and the test fails on its success.
        await writer.pauseForTesting()
        let watchdog = Task {
            try await Task.sleep(for: .seconds(30))
            await writer.resumeForTesting()
        }
        let clock = ContinuousClock()
        let start = clock.now
        let held = await Task { try await writer.commit(Sample.attestation()) }.result
        let waited = start.duration(to: clock.now)
        watchdog.cancel()
        #expect(throws: StoreError(code: .database, reason: "")) { try held.get() }
        if case .failure(let error as StoreError) = held {
            #expect(error.reason.contains("did not answer within 1.5 s"), "\(error.reason)")
        }
        #expect(waited >= .seconds(1.5) && waited < .seconds(20), "\(waited)")
        #expect(await writer.queuedCallCount == 0)
        #expect(await writer.statistics.expiredCalls == 1)
        // Withdrawn, not written: after the writer resumes, the next call (through another node with room to
        // spare, for a loaded machine) takes index 0, and is the only code.
        await writer.resumeForTesting()
        let other = try await PostgresStoreTests.open(url)
        defer { other.close() }
        let next = try IssuanceWriter(store: .postgres(other), logKey: try PrivateKey.generate(.eddsa),
                                      receiptKey: try PrivateKey.generate(.eddsa), origin: StoreFixture.origin)
        #expect(try await next.commit(Sample.attestation()).logIndex == 0)
        #expect(try await other.unsafeFetchInt("SELECT count(*) FROM attestations") == 1)
        #expect(await writer.statistics.expiredCalls == 1)
    }

    @Test("a bulk call is all or nothing, and a rejected bulk call frees its indices", arguments: Backend.allCases)
    func bulkAllOrNothing(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        var items = try (0..<50).map { _ in try Sample.attestation() }
        items[30].tokenHash = items[10].tokenHash
        await #expect(throws: StoreError(code: .duplicate, reason: "")) {
            try await writer.commitBulk(items)
        }
        #expect(try await fixture.counts() == VouchDatabase.Counts(
            attestations: 0, apiKeys: 0, logEntries: 0, checkpoints: 0))
        items[30] = try Sample.attestation()
        let committed = try await writer.commitBulk(items)
        #expect(committed.map(\.logIndex) == Array(0..<50))
        #expect(committed.allSatisfy { $0.treeSize == 50 })
        #expect(await writer.treeSize == 50)
    }

    @Test("when the transaction itself fails, every caller of the batch gets the error and nothing is written",
          arguments: Backend.allCases)
    func wholeBatchFailure(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        _ = try await writer.commit(Sample.attestation())
        // A trigger refuses the part of the transaction that follows the items (a per-item refusal would only
        // reject that item): the checkpoint on SQLite, the sequenced entries on PostgreSQL.
        try await fixture.execute(
            sqlite: "CREATE TRIGGER refuse BEFORE INSERT ON checkpoints BEGIN SELECT RAISE(ABORT, 'refused'); END",
            postgres: """
                CREATE TRIGGER refuse BEFORE INSERT ON log_entries FOR EACH ROW EXECUTE FUNCTION vouch_append_only()
                """)
        await writer.pauseForTesting()
        let tasks = try (0..<5).map { _ in
            let item = try Sample.attestation()
            return Task { try await writer.commit(item) }
        }
        while await writer.queuedCallCount < 5 {
            try await Task.sleep(for: .milliseconds(1))
        }
        await writer.resumeForTesting()
        for task in tasks {
            await #expect(throws: StoreError.self) { try await task.value }
        }
        #expect(await writer.statistics.failedTransactions == 1)
        let counts = try await fixture.counts()
        #expect(counts.logEntries == 1 && counts.attestations == 1)
        // Once the fault is gone the next batch takes the next index: the failed one left no gap.
        try await fixture.execute(sqlite: "DROP TRIGGER refuse", postgres: "DROP TRIGGER refuse ON log_entries")
        #expect(try await writer.commit(Sample.attestation()).logIndex == 1)
    }

    @Test("SQLite only: a second writer appending behind the first one's back makes the first refuse to go on")
    func intruderOnSQLite() async throws {
        // One writer per SQLite file is the rule (it keeps the tree in memory); on PostgreSQL several writers on
        // one database are the design and are tested in PostgresStoreTests.twoWriters.
        let fixture = try await BackendFixture(.sqlite)
        let writer = try fixture.writer()
        _ = try await writer.commit(Sample.attestation())
        let intruder = try fixture.writer(store: try await fixture.reopen())
        _ = try await intruder.commit(Sample.attestation())
        await #expect(throws: StoreError(code: .corrupt, reason: "")) {
            try await writer.commit(Sample.attestation())
        }
        #expect(await writer.statistics.failedTransactions == 1)
        #expect(try await fixture.counts().logEntries == 2)
    }

    @Test("the writer refuses a non-Ed25519 log key, a bad origin, and the log key as receipt key",
          arguments: Backend.allCases)
    func configuration(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try IssuanceWriter(store: fixture.store, logKey: try PrivateKey.generate(.es256),
                               receiptKey: fixture.receiptKey, origin: "log")
        }
        #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try IssuanceWriter(store: fixture.store, logKey: fixture.logKey, receiptKey: fixture.receiptKey,
                               origin: "two words")
        }
        #expect(throws: StoreError(code: .invalidInput, reason: ""), "the checkpoint key as receipt key") {
            try IssuanceWriter(store: fixture.store, logKey: fixture.logKey, receiptKey: fixture.logKey,
                               origin: "log")
        }
    }
}
