import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog
@testable import VouchStore

@Suite("IssuanceWriter")
struct IssuanceWriterTests {
    @Test("200 concurrent commits share transactions, with every index once")
    func groupCommit() async throws {
        let fixture = try StoreFixture()
        let writer = try fixture.writer()
        let items = try (0..<200).map { _ in try Sample.attestation() }
        let committed = try await withThrowingTaskGroup(of: CommittedAttestation.self) { group in
            for item in items {
                group.addTask { try await writer.commit(item) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(committed.count == 200)
        #expect(Set(committed.map(\.logIndex)) == Set(0..<200))
        #expect(Set(committed.map(\.id)) == Set(items.map(\.id)))
        for result in committed {
            #expect(result.treeSize > result.logIndex && result.treeSize <= 200)
        }

        let statistics = await writer.statistics
        let counts = try await fixture.database.counts()
        #expect(counts.attestations == 200)
        #expect(counts.logEntries == 200)
        #expect(statistics.committedOperations == 200)
        #expect(statistics.transactions < 200, "no batching: \(statistics)")
        #expect(statistics.checkpoints == counts.checkpoints)
        #expect(counts.checkpoints < 200)
        #expect(await writer.treeSize == 200)

        // Each committed attestation points at its own issued entry.
        let reader = fixture.reader
        for item in items.prefix(20) {
            let record = try #require(try await reader.attestation(tokenHash: item.tokenHash))
            let entry = try #require(try await reader.issuedEntry(tokenHash: item.tokenHash))
            #expect(record.logIndex == entry.index)
            let decoded = try LogEntry(cbor: entry.entry)
            #expect(decoded.event == .issued)
            #expect(decoded.token == item.tokenHash)
        }
    }

    @Test("the root from log_tiles equals the root recomputed from every entry")
    func rootsAgree() async throws {
        let fixture = try StoreFixture()
        let writer = try fixture.writer(maximumBatchSize: 7)
        // Crosses full level-0 tiles (256) and uneven batch edges.
        _ = try await writer.commitBulk((0..<300).map { _ in try Sample.attestation() })
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<230 {
                let item = try Sample.attestation()
                group.addTask { _ = try await writer.commit(item) }
            }
            try await group.waitForAll()
        }
        let reader = fixture.reader
        let recomputed = try reader.recomputedRoot()
        #expect(recomputed.size == 530)
        #expect(try await reader.treeHash(size: 530) == recomputed.root)
        // Every checkpoint commits to the root of its size and verifies under the log key.
        let verifier = try NoteVerifier(name: StoreFixture.origin, publicKey: fixture.logKey.publicKey)
        #expect(verifier.vkey == writer.verifierKey)
        #expect(try NoteVerifier(vkey: writer.verifierKey) == verifier)
        let checkpoints = try await reader.checkpoints()
        #expect(checkpoints.last?.size == 530)
        for stored in checkpoints {
            let checkpoint = try Checkpoint.open(note: Array(stored.note.utf8), verifiers: [verifier],
                                                 origin: StoreFixture.origin)
            #expect(checkpoint.size == stored.size)
            #expect(checkpoint.rootHash == (try await reader.treeHash(size: stored.size)))
        }
        let latest = try #require(try await reader.latestCheckpoint())
        #expect(latest.size == 530)
    }

    @Test("reopening continues the log where it stopped")
    func reopenAndContinue() async throws {
        let fixture = try StoreFixture()
        do {
            let writer = try fixture.writer()
            _ = try await writer.commitBulk((0..<10).map { _ in try Sample.attestation() })
        }
        let oldRoot = try await fixture.reader.treeHash(size: 10)
        let database = try fixture.reopen()
        let writer = try fixture.writer(database: database)
        #expect(await writer.treeSize == 10)
        var indices: [Int] = []
        for _ in 0..<5 {
            indices.append(try await writer.commit(Sample.attestation()).logIndex)
        }
        #expect(indices == Array(10..<15))
        let reader = AuditLogReader(database: database)
        let recomputed = try reader.recomputedRoot()
        let newRoot = try await reader.treeHash(size: 15)
        #expect(recomputed.root == newRoot)
        let proof = try await reader.consistencyProof(from: 10, to: 15)
        #expect(MerkleProof.verifyConsistency(from: 10, to: 15, oldRoot: oldRoot, newRoot: newRoot, proof: proof))
    }

    @Test("revoke, suspend and reinstate change the state and log each change")
    func stateChanges() async throws {
        let fixture = try StoreFixture()
        let writer = try fixture.writer()
        let item = try Sample.attestation(statusSlot: StatusSlot(list: 3, index: 77))
        let other = try Sample.attestation(statusSlot: StatusSlot(list: 3, index: 5))
        _ = try await writer.commitBulk([item, other])

        let suspended = try await writer.suspend(id: item.id)
        #expect(suspended.previous == .valid && suspended.state == .suspended)
        #expect(suspended.statusSlot == StatusSlot(list: 3, index: 77))
        #expect(suspended.logIndex == 2)
        let reinstated = try await writer.reinstate(id: item.id)
        #expect(reinstated.state == .valid && reinstated.logIndex == 3)
        let revoked = try await writer.revoke(id: item.id)
        #expect(revoked.state == .revoked && revoked.logIndex == 4 && revoked.treeSize == 5)

        // Idempotent, and final.
        let again = try await writer.revoke(id: item.id)
        #expect(again.state == .revoked && again.logIndex == nil && again.treeSize == 5)
        await #expect(throws: StoreError(code: .invalidTransition, reason: "")) {
            try await writer.reinstate(id: item.id)
        }
        await #expect(throws: StoreError(code: .notFound, reason: "")) {
            try await writer.revoke(id: String(repeating: "0", count: 32))
        }

        let reader = fixture.reader
        #expect(try await reader.attestation(id: item.id)?.state == .revoked)
        let slots = try await reader.statusSlots(list: 3)
        #expect(slots.map(\.index) == [5, 77])
        #expect(slots.map(\.state) == [.valid, .revoked])
        let events = try await reader.entries(in: 0..<10).map { try LogEntry(cbor: $0.entry) }
        #expect(events.map(\.event) == [.issued, .issued, .suspended, .reinstated, .revoked])
        #expect(events[4].token == item.tokenHash)
        #expect(events[4].status == LogEntry.StatusSlot(list: 3, index: 77))
        #expect(try reader.recomputedRoot().size == 5)
    }

    @Test("key events are logged")
    func keyEvents() async throws {
        let fixture = try StoreFixture()
        let writer = try fixture.writer()
        let certificate = Digest.sha256(Array("certificate DER".utf8))
        let added = try await writer.record(KeyEvent(kind: .added, kid: Sample.kid, certificateHash: certificate,
                                                     time: Sample.issuedAt))
        let retired = try await writer.record(KeyEvent(kind: .retired, kid: Sample.kid, certificateHash: certificate,
                                                       time: Sample.issuedAt.addingTimeInterval(60)))
        #expect(added == LogPosition(index: 0, treeSize: 1))
        #expect(retired == LogPosition(index: 1, treeSize: 2))
        let entries = try await fixture.reader.entries(in: 0..<2).map { try LogEntry(cbor: $0.entry) }
        #expect(entries.map(\.event) == [.keyAdded, .keyRetired])
        #expect(entries[1].time == UInt64(Sample.issuedAt.timeIntervalSince1970) + 60)
        #expect(entries[0].certificate == certificate)
        await #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try await writer.record(KeyEvent(kind: .added, kid: [1], certificateHash: certificate, time: Date()))
        }
    }

    @Test("a bad item in a batch is rejected alone; the others commit with no index gap")
    func isolation() async throws {
        let fixture = try StoreFixture()
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

        await writer.pauseForTesting()
        let tasks = batch.map { item, _ in Task { try await writer.commit(item) } }
        while await writer.queuedCallCount < batch.count {
            try await Task.sleep(for: .milliseconds(1))
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
        let counts = try await fixture.database.counts()
        #expect(counts.attestations == 5 && counts.logEntries == 5 && counts.checkpoints == 2)
        let recomputed = try fixture.reader.recomputedRoot()
        #expect(recomputed.root == (try await fixture.reader.treeHash(size: 5)))
    }

    @Test("a bulk call is all or nothing")
    func bulkAllOrNothing() async throws {
        let fixture = try StoreFixture()
        let writer = try fixture.writer()
        var items = try (0..<50).map { _ in try Sample.attestation() }
        items[30].tokenHash = items[10].tokenHash
        await #expect(throws: StoreError(code: .duplicate, reason: "")) {
            try await writer.commitBulk(items)
        }
        #expect(try await fixture.database.counts() == VouchDatabase.Counts(
            attestations: 0, apiKeys: 0, logEntries: 0, checkpoints: 0))
        items[30] = try Sample.attestation()
        let committed = try await writer.commitBulk(items)
        #expect(committed.map(\.logIndex) == Array(0..<50))
        #expect(committed.allSatisfy { $0.treeSize == 50 })
        #expect(await writer.treeSize == 50)
    }

    @Test("when the transaction itself fails, every caller of the batch gets the error and nothing is written")
    func wholeBatchFailure() async throws {
        let fixture = try StoreFixture()
        let writer = try fixture.writer()
        _ = try await writer.commit(Sample.attestation())
        // A second writer on the same file appends behind the first one's back.
        let intruder = try fixture.writer(database: fixture.reopen())
        _ = try await intruder.commit(Sample.attestation())

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
            await #expect(throws: StoreError(code: .corrupt, reason: "")) { try await task.value }
        }
        #expect(await writer.statistics.failedTransactions == 1)
        #expect(try await fixture.database.counts().logEntries == 2)
    }

    @Test("the writer refuses a non-Ed25519 log key and a bad origin")
    func configuration() throws {
        let fixture = try StoreFixture()
        #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try IssuanceWriter(database: fixture.database, logKey: try PrivateKey.generate(.es256),
                               receiptKey: fixture.receiptKey, origin: "log")
        }
        #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try IssuanceWriter(database: fixture.database, logKey: fixture.logKey, receiptKey: fixture.receiptKey,
                               origin: "two words")
        }
        #expect(throws: StoreError(code: .invalidInput, reason: ""), "the checkpoint key as receipt key") {
            try IssuanceWriter(database: fixture.database, logKey: fixture.logKey, receiptKey: fixture.logKey,
                               origin: "log")
        }
    }
}
