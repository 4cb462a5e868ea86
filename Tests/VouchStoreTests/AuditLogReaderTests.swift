import Foundation
import Testing
import VouchCrypto
import VouchLog
@testable import VouchStore

/// Proofs, tiles, bundles and the audit on both stores. The log is integrated after each bulk batch, so both
/// backends hold the same checkpoints (SQLite signs one per commit, PostgreSQL's integrator one per round).
@Suite("AuditLogReader")
struct AuditLogReaderTests {
    /// A store with `count` issued entries, written in uneven bulk batches, each integrated.
    private func populated(_ backend: Backend, _ count: Int) async throws
        -> (BackendFixture, IssuanceWriter, [PendingAttestation]) {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        let items = try (0..<count).map { _ in try Sample.attestation() }
        var start = 0
        for size in [1, 2, 253, 300, 17].cycled(until: count) {
            let end = min(count, start + size)
            _ = try await writer.commitBulk(Array(items[start..<end]))
            try await fixture.integrate()
            start = end
            if start == count { break }
        }
        return (fixture, writer, items)
    }

    @Test("inclusion and consistency proofs from the tiles verify against signed checkpoints",
          arguments: Backend.allCases)
    func proofs(_ backend: Backend) async throws {
        let (fixture, _, items) = try await populated(backend, 600)
        let reader = fixture.reader
        let checkpoints = try await reader.checkpoints()
        #expect(checkpoints.map(\.size) == [1, 3, 256, 556, 573, 574, 576, 600])
        let verifier = try NoteVerifier(name: StoreFixture.origin, publicKey: fixture.logKey.publicKey)
        let opened = try checkpoints.map {
            try Checkpoint.open(note: Array($0.note.utf8), verifiers: [verifier], origin: StoreFixture.origin)
        }
        for checkpoint in opened {
            for index in [0, checkpoint.size / 2, checkpoint.size - 1] {
                let entry = try #require(try await reader.issuedEntry(tokenHash: items[index].tokenHash))
                #expect(entry.index == index)
                let proof = try await reader.inclusionProof(index: index, size: checkpoint.size)
                #expect(MerkleProof.verifyInclusion(leafHash: entry.leafHash, index: index, size: checkpoint.size,
                                                    proof: proof, root: checkpoint.rootHash))
            }
        }
        for (old, new) in zip(opened, opened.dropFirst()) {
            let proof = try await reader.consistencyProof(from: old.size, to: new.size)
            #expect(MerkleProof.verifyConsistency(from: old.size, to: new.size, oldRoot: old.rootHash,
                                                  newRoot: new.rootHash, proof: proof))
        }
        await #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try await reader.inclusionProof(index: 0, size: 601)
        }
        await #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try await reader.consistencyProof(from: 10, to: 5)
        }
    }

    @Test("tiles and entry bundles are served as tlog-tiles defines them", arguments: Backend.allCases)
    func tiles(_ backend: Backend) async throws {
        let (fixture, _, _) = try await populated(backend, 300)
        let reader = fixture.reader
        let entries = try await reader.entries(in: 0..<300)
        #expect(entries.map(\.index) == Array(0..<300))

        let full = try #require(try await reader.tile(level: 0, index: 0))
        #expect(full == entries.prefix(256).flatMap(\.leafHash))
        let partial = try #require(try await reader.tile(level: 0, index: 1, width: 44))
        #expect(partial == entries[256...].flatMap(\.leafHash))
        #expect(try await reader.tile(level: 0, index: 1, width: 45) == nil)
        #expect(try await reader.tile(level: 0, index: 1, width: 10) == Array(partial.prefix(320)))
        let level1 = try #require(try await reader.tile(level: 1, index: 0, width: 1))
        #expect(level1 == MerkleHash.root(leafHashes: entries.prefix(256).map(\.leafHash)))

        let bundle = try #require(try await reader.entryBundle(index: 1, width: 44))
        #expect(try EntryBundle.decode(bundle) == entries[256...].map(\.entry))
        #expect(try EntryBundle.decode(try #require(try await reader.entryBundle(index: 0)))
                == entries.prefix(256).map(\.entry))
        #expect(try await reader.entryBundle(index: 1) == nil)
        await #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try await reader.entries(in: 0..<(AuditLogReader.maximumPageSize + 1))
        }
    }

    @Test("proofs and size in withTiles come from one snapshot while the log grows", arguments: Backend.allCases)
    func snapshot(_ backend: Backend) async throws {
        let (fixture, writer, _) = try await populated(backend, 40)
        let reader = fixture.reader
        // On PostgreSQL the log grows through the integrator, running as on a node.
        let integrator = try fixture.integrator(holder: "snapshot")
        let integration = Task { await integrator?.run() }
        async let more: Void = {
            for _ in 0..<20 { _ = try await writer.commit(Sample.attestation()) }
        }()
        let verifier = try NoteVerifier(name: StoreFixture.origin, publicKey: fixture.logKey.publicKey)
        for _ in 0..<20 {
            let (size, root) = try await reader.withTiles { tiles, size in
                (size, try TileHashReader(storage: tiles).treeHash(size: size))
            }
            let stored = try #require(try await reader.checkpoint(size: size))
            let checkpoint = try Checkpoint.open(note: Array(stored.note.utf8), verifiers: [verifier])
            #expect(checkpoint.rootHash == root)
        }
        try await more
        integration.cancel()
        await integration.value
    }

    @Test("the auditor accepts the stored log and finds a tampered entry", arguments: Backend.allCases)
    func audit(_ backend: Backend) async throws {
        let (fixture, writer, items) = try await populated(backend, 299)
        _ = try await writer.revoke(id: items[5].id)
        try await fixture.integrate()
        let report = try await fixture.audit()
        #expect(report.isValid, "\(report.problems)")
        #expect(report.treeSize == 300)

        // Only by switching off the append-only trigger can an entry be altered, and the audit names it.
        try await fixture.execute(sqlite: "DROP TRIGGER log_entries_no_update",
                                  postgres: "ALTER TABLE log_entries DISABLE TRIGGER log_entries_append_only")
        try await fixture.execute(sqlite: "UPDATE log_entries SET entry = randomblob(60) WHERE idx = 123",
                                  postgres: "UPDATE log_entries SET entry = sha256(entry) WHERE idx = 123")
        let tampered = try await fixture.audit()
        #expect(!tampered.isValid)
    }

    @Test("tiles that contradict the latest checkpoint stop the log's next writer of tiles", arguments: Backend.allCases)
    func tamperedTiles(_ backend: Backend) async throws {
        let (fixture, writer, _) = try await populated(backend, 20)
        try await fixture.execute(
            sqlite: "UPDATE log_tiles SET hashes = randomblob(length(hashes)) WHERE level = 0 AND idx = 0",
            postgres: "UPDATE log_tiles SET hashes = decode(repeat('ab', length(hashes)), 'hex') WHERE level = 0 AND idx = 0")
        switch backend {
        case .sqlite:
            // The writer keeps the tree and checks it against the latest checkpoint when it opens.
            #expect(throws: StoreError(code: .corrupt, reason: "")) { try fixture.writer() }
        case .postgres:
            // Writers keep no tree here; the integrator checks the tiles against (size, root) each round.
            _ = try await writer.commit(Sample.attestation())
            let integrator = try #require(try fixture.integrator(holder: "tampered"))
            await #expect(throws: StoreError(code: .corrupt, reason: "")) { try await integrator.integrate() }
            #expect(try await fixture.reader.latestCheckpoint()?.size == 20)
        }
    }
}

extension Array {
    /// The elements repeated as often as needed to reach `count` items in total.
    fileprivate func cycled(until count: Int) -> [Element] {
        var out: [Element] = []
        while out.count < count { out.append(contentsOf: self) }
        return out
    }
}
