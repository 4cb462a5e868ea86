import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog
@testable import VouchStore

/// The writer and the log reader on both stores: the same behaviour, whichever backend.
@Suite("IssuanceWriter on both backends")
struct BackendWriterTests {
    @Test("concurrent commits get every index once, and the audit passes", arguments: Backend.allCases)
    func groupCommit(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer(maximumBatchSize: 7)
        let items = try (0..<300).map { _ in try Sample.attestation() }
        let committed = try await withThrowingTaskGroup(of: CommittedAttestation.self) { group in
            for item in items {
                group.addTask { try await writer.commit(item) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(committed.map(\.logIndex)) == Set(0..<300))
        #expect(committed.allSatisfy { $0.treeSize > $0.logIndex })
        let statistics = await writer.statistics
        #expect(statistics.committedOperations == 300)
        #expect(statistics.transactions < 300, "no batching: \(statistics)")
        try await fixture.integrate()

        let reader = fixture.reader
        #expect(try await reader.treeSize() == 300)
        for item in items.prefix(20) {
            let record = try #require(try await reader.attestation(tokenHash: item.tokenHash))
            let entry = try #require(try await reader.issuedEntry(tokenHash: item.tokenHash))
            #expect(record.logIndex == entry.index)
            #expect(try LogEntry(cbor: entry.entry).token == item.tokenHash)
        }
        let report = try await fixture.audit()
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.treeSize == 300)
        let latest = try #require(try await reader.latestCheckpoint())
        #expect(latest.size == 300)
        let leaves = try await reader.entries(in: 0..<300).map(\.leafHash)
        #expect(try await reader.treeHash(size: 300) == MerkleHash.root(leafHashes: leaves))
        let proof = try await reader.inclusionProof(index: 123, size: 300)
        #expect(!proof.isEmpty)
        #expect(try await reader.tile(level: 0, index: 0) != nil)
    }

    @Test("revoke, suspend and reinstate change the state and log each change", arguments: Backend.allCases)
    func stateChanges(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        let item = try Sample.attestation(statusSlot: StatusSlot(list: 3, index: 77))
        let other = try Sample.attestation(statusSlot: StatusSlot(list: 3, index: 5))
        _ = try await writer.commitBulk([item, other])
        let suspended = try await writer.suspend(id: item.id)
        #expect(suspended.previous == .valid && suspended.state == .suspended && suspended.logIndex == 2)
        let reinstated = try await writer.reinstate(id: item.id)
        #expect(reinstated.state == .valid && reinstated.logIndex == 3)
        let revoked = try await writer.revoke(id: item.id)
        #expect(revoked.state == .revoked && revoked.logIndex == 4 && revoked.treeSize == 5)
        let again = try await writer.revoke(id: item.id)
        #expect(again.state == .revoked && again.logIndex == nil)
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
        try await fixture.integrate()
        #expect(try await fixture.audit().problems.isEmpty)
    }

    @Test("a bad item in a batch is rejected alone; the others commit with no index gap", arguments: Backend.allCases)
    func isolation(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        let first = try Sample.attestation(statusSlot: StatusSlot(list: 1, index: 9))
        _ = try await writer.commit(first)
        var duplicateID = try Sample.attestation()
        duplicateID.cti = first.cti
        var badLength = try Sample.attestation()
        badLength.tokenHash = [1, 2, 3]
        let sameToken = try Sample.attestation()
        var sameTokenAgain = try Sample.attestation()
        sameTokenAgain.tokenHash = sameToken.tokenHash
        let batch: [(PendingAttestation, StoreError.Code?)] = [
            (try Sample.attestation(), nil),
            (duplicateID, .duplicate),
            (try Sample.attestation(statusSlot: StatusSlot(list: 1, index: 9)), .duplicate),
            (sameToken, nil),
            (sameTokenAgain, .duplicate),
            (badLength, .invalidInput),
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
        #expect(indices == [1, 2, 3])
        #expect(await writer.statistics.rejectedOperations == 4)
        try await fixture.integrate()
        let report = try await fixture.audit()
        #expect(report.problems.isEmpty && report.treeSize == 4)
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
        #expect(try await fixture.reader.entries(in: 0..<50).isEmpty)
        items[30] = try Sample.attestation()
        let committed = try await writer.commitBulk(items)
        #expect(committed.map(\.logIndex) == Array(0..<50))
        #expect(await writer.treeSize == 50)
    }

    @Test("key events and the receipt key's entry are logged once", arguments: Backend.allCases)
    func keyEvents(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        let certificate = Digest.sha256(Array("certificate DER".utf8))
        let added = try await writer.record(KeyEvent(kind: .added, kid: Sample.kid, certificateHash: certificate,
                                                     time: Sample.issuedAt))
        #expect(added.index == 0)
        let receiptKey = try await writer.logReceiptKey(time: Sample.issuedAt)
        #expect(receiptKey.index == 1)
        // A second writer (a restart, or another node) finds the entry instead of writing it again.
        let second = try fixture.writer()
        #expect(try await second.logReceiptKey(time: Sample.issuedAt).index == 1)
        let entries = try await fixture.reader.entries(in: 0..<5).map { try LogEntry(cbor: $0.entry) }
        #expect(entries.map(\.event) == [.keyAdded, .keyAdded])
        await #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try await writer.record(KeyEvent(kind: .added, kid: [1], certificateHash: certificate, time: Date()))
        }
    }
}
