import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog
@testable import VouchStore

/// The writer on both stores. Where they differ on purpose: on SQLite each commit also writes the tiles and signs
/// a checkpoint; on PostgreSQL the writer only sequences entries and the integrator (`fixture.integrate()`) writes
/// tiles and checkpoints, so checkpoint counts are asserted per backend.
@Suite("IssuanceWriter")
struct IssuanceWriterTests {
    @Test("300 concurrent commits share transactions, get every index once, and the audit passes",
          arguments: Backend.allCases)
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
        #expect(Set(committed.map(\.id)) == Set(items.map(\.id)))
        #expect(committed.allSatisfy { $0.treeSize > $0.logIndex && $0.treeSize <= 300 })

        let statistics = await writer.statistics
        let counts = try await fixture.counts()
        #expect(counts.attestations == 300 && counts.logEntries == 300)
        #expect(statistics.committedOperations == 300)
        #expect(statistics.transactions < 300, "no batching: \(statistics)")
        #expect(await writer.treeSize == 300)
        switch backend {
        case .sqlite:
            #expect(statistics.checkpoints == counts.checkpoints && counts.checkpoints < 300)
        case .postgres:
            // Nothing is signed until the integrator runs.
            #expect(statistics.checkpoints == 0 && counts.checkpoints == 0)
        }
        try await fixture.integrate()

        // Each committed attestation points at its own issued entry.
        let reader = fixture.reader
        #expect(try await reader.treeSize() == 300)
        for item in items.prefix(20) {
            let record = try #require(try await reader.attestation(tokenHash: item.tokenHash))
            let entry = try #require(try await reader.issuedEntry(tokenHash: item.tokenHash))
            #expect(record.logIndex == entry.index)
            let decoded = try LogEntry(cbor: entry.entry)
            #expect(decoded.event == .issued && decoded.token == item.tokenHash)
        }
        let report = try await fixture.audit()
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.treeSize == 300)
        #expect(try await reader.latestCheckpoint()?.size == 300)
        let proof = try await reader.inclusionProof(index: 123, size: 300)
        #expect(!proof.isEmpty)
        #expect(try await reader.tile(level: 0, index: 0) != nil)
    }

    @Test("the root from log_tiles equals the root recomputed from every entry", arguments: Backend.allCases)
    func rootsAgree(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer(maximumBatchSize: 7)
        // Crosses full level-0 tiles (256) and uneven batch edges.
        _ = try await writer.commitBulk((0..<300).map { _ in try Sample.attestation() })
        try await fixture.integrate()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<230 {
                let item = try Sample.attestation()
                group.addTask { _ = try await writer.commit(item) }
            }
            try await group.waitForAll()
        }
        try await fixture.integrate()
        let reader = fixture.reader
        let recomputed = try await fixture.recomputedRoot()
        #expect(recomputed.size == 530)
        #expect(try await reader.treeHash(size: 530) == recomputed.root)
        if backend == .sqlite {
            // SQLite's streaming scan (`forEachEntry`, no PostgreSQL counterpart) visits the same entries in order.
            var scanned: [[UInt8]] = []
            try reader.forEachEntry { entry in
                #expect(entry.index == scanned.count)
                scanned.append(entry.leafHash)
            }
            #expect(scanned.count == 530 && MerkleHash.root(leafHashes: scanned) == recomputed.root)
        }
        // Every checkpoint commits to the root of its size and verifies under the log key.
        let verifier = try NoteVerifier(name: StoreFixture.origin, publicKey: fixture.logKey.publicKey)
        #expect(verifier.vkey == writer.verifierKey)
        #expect(try NoteVerifier(vkey: writer.verifierKey) == verifier)
        let checkpoints = try await reader.checkpoints()
        #expect(checkpoints.last?.size == 530)
        #expect(checkpoints.contains { $0.size == 300 })
        for stored in checkpoints {
            let checkpoint = try Checkpoint.open(note: Array(stored.note.utf8), verifiers: [verifier],
                                                 origin: StoreFixture.origin)
            #expect(checkpoint.size == stored.size)
            #expect(checkpoint.rootHash == (try await reader.treeHash(size: stored.size)))
        }
        #expect(try await reader.latestCheckpoint()?.size == 530)
    }

    @Test("reopening (a restart) continues the log where it stopped", arguments: Backend.allCases)
    func reopenAndContinue(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        do {
            let writer = try fixture.writer()
            _ = try await writer.commitBulk((0..<10).map { _ in try Sample.attestation() })
        }
        try await fixture.integrate()
        let oldRoot = try await fixture.reader.treeHash(size: 10)
        let store = try await fixture.reopen()
        let writer = try fixture.writer(store: store)
        var indices: [Int] = []
        for _ in 0..<5 {
            indices.append(try await writer.commit(Sample.attestation()).logIndex)
        }
        #expect(indices == Array(10..<15))
        #expect(await writer.treeSize == 15)
        try await fixture.integrate()
        let reader = AuditLogReader(store: store)
        let recomputed = try await fixture.recomputedRoot(store: store)
        let newRoot = try await reader.treeHash(size: 15)
        #expect(recomputed.root == newRoot)
        let proof = try await reader.consistencyProof(from: 10, to: 15)
        #expect(MerkleProof.verifyConsistency(from: 10, to: 15, oldRoot: oldRoot, newRoot: newRoot, proof: proof))
    }

    @Test("revoke, suspend and reinstate change the state and log each change", arguments: Backend.allCases)
    func stateChanges(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
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
        try await fixture.integrate()
        #expect(try await fixture.recomputedRoot().size == 5)
        #expect(try await fixture.audit().problems.isEmpty)
    }

    @Test("key events are logged; the receipt key's entry once, whichever writer (restart or node) asks",
          arguments: Backend.allCases)
    func keyEvents(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        let certificate = Digest.sha256(Array("certificate DER".utf8))
        let added = try await writer.record(KeyEvent(kind: .added, kid: Sample.kid, certificateHash: certificate,
                                                     time: Sample.issuedAt))
        let retired = try await writer.record(KeyEvent(kind: .retired, kid: Sample.kid, certificateHash: certificate,
                                                       time: Sample.issuedAt.addingTimeInterval(60)))
        #expect(added == LogPosition(index: 0, treeSize: 1))
        #expect(retired == LogPosition(index: 1, treeSize: 2))
        #expect(try await writer.logReceiptKey(time: Sample.issuedAt).index == 2)
        #expect(try await fixture.writer().logReceiptKey(time: Sample.issuedAt).index == 2)
        let entries = try await fixture.reader.entries(in: 0..<5).map { try LogEntry(cbor: $0.entry) }
        #expect(entries.map(\.event) == [.keyAdded, .keyRetired, .keyAdded])
        #expect(entries[1].time == UInt64(Sample.issuedAt.timeIntervalSince1970) + 60)
        #expect(entries[0].certificate == certificate)
        await #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try await writer.record(KeyEvent(kind: .added, kid: [1], certificateHash: certificate, time: Date()))
        }
    }
}
