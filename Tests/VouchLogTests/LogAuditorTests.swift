import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog

/// The auditor names exactly the entry or checkpoint that is wrong.
@Suite struct LogAuditorTests {
    static let origin = "vouch.example.org/log"
    static let checkpointSizes = [0, 1, 100, 256, 300, 600]

    let signer: NoteSigner
    let entries: [[UInt8]]
    let storage: MemoryTileStorage
    let checkpoints: [String]
    let auditor: LogAuditor

    init() throws {
        signer = try NoteSigner(name: Self.origin, privateKey: PrivateKey.generate(.eddsa))
        var rng = SplitMix64(seed: 99)
        entries = try (0..<600).map { i in
            let kid = (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if i % 50 == 0 {
                return try LogEntry.key(.keyAdded, time: UInt64(1_700_000_000 + i), kid: kid,
                                        certificate: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }).encoded()
            }
            return try LogEntry.attestation(
                .issued, time: UInt64(1_700_000_000 + i), kid: kid,
                token: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }, type: .age,
                status: .init(list: 1, index: UInt64(i))
            ).encoded()
        }
        var storage = MemoryTileStorage()
        var checkpoints: [String] = []
        var appended = 0
        for size in Self.checkpointSizes {
            try storage.append(leafHashes: entries[appended..<size].map(MerkleHash.leaf))
            appended = size
            let root = try TileHashReader(storage: storage).treeHash(size: size)
            checkpoints.append(try Checkpoint(origin: Self.origin, size: size, rootHash: root).signed(by: signer))
        }
        self.storage = storage
        self.checkpoints = checkpoints
        auditor = LogAuditor(origin: Self.origin, verifiers: [signer.verifier])
    }

    func signed(size: Int, root: [UInt8], by signer: NoteSigner? = nil, origin: String = LogAuditorTests.origin) throws -> String {
        try Checkpoint(origin: origin, size: size, rootHash: root).signed(by: signer ?? self.signer)
    }

    @Test func anHonestLogPasses() {
        let report = auditor.audit(entries: entries, checkpoints: checkpoints, tiles: storage)
        #expect(report.problems == [])
        #expect(report.isValid)
        #expect(report.treeSize == 600)
        #expect(report.verifiedCheckpoints == Array(0..<Self.checkpointSizes.count))
        #expect(report.rootHash == (try? TileHashReader(storage: storage).treeHash(size: 600)))
        #expect(auditor.audit(leafHashes: entries.map(MerkleHash.leaf), checkpoints: checkpoints.map { Array($0.utf8) },
                              tiles: storage) == report)
        #expect(auditor.audit(entries: entries, checkpoints: checkpoints).isValid)
    }

    /// The offset of the first byte after a `bstr(32)` header (0x58 0x20).
    static func firstHashByte(of entry: [UInt8]) -> Int {
        (0..<entry.count - 1).first { entry[$0] == 0x58 && entry[$0 + 1] == 0x20 }! + 2
    }

    @Test(arguments: [0, 123, 255, 256, 599])
    func aChangedEntryIsNamed(index: Int) {
        var tampered = entries
        // A byte inside the 32-byte token (or cert) hash: the entry still parses.
        tampered[index][Self.firstHashByte(of: tampered[index])] ^= 0x01
        let report = auditor.audit(entries: tampered, checkpoints: checkpoints, tiles: storage)
        let later = Self.checkpointSizes.indices.filter { Self.checkpointSizes[$0] > index }
        var expected = [AuditProblem(.leafHashMismatch, leafIndex: index)]
        // The subtree roots stored above the entry also disagree once recomputed.
        if index < 512 { expected.append(AuditProblem(.tileHashMismatch, leafIndex: index / 256 * 256)) }
        expected += later.map { AuditProblem(.rootMismatch, checkpoint: $0) }
        #expect(Set(report.problems) == Set(expected), "\(report.problems)")
        #expect(report.verifiedCheckpoints == Self.checkpointSizes.indices.filter { !later.contains($0) })
        // Without tiles the checkpoints still catch it, from the first one that covers the entry.
        let bare = auditor.audit(entries: tampered, checkpoints: checkpoints)
        #expect(bare.problems == later.map { AuditProblem(.rootMismatch, checkpoint: $0) })
    }

    @Test func aMalformedEntryIsNamed() {
        var tampered = entries
        tampered[42] = CBOR.map([CBOR.Pair("event", "issued"), CBOR.Pair("name", "Jane Doe")]).encoded()
        let report = auditor.audit(entries: tampered, checkpoints: checkpoints, tiles: storage)
        #expect(report.problems.first == AuditProblem(.malformedEntry, leafIndex: 42))
        #expect(report.problems.contains(AuditProblem(.leafHashMismatch, leafIndex: 42)))
    }

    @Test func aBadSignatureNamesTheCheckpoint() throws {
        var notes = checkpoints
        let stranger = try NoteSigner(name: Self.origin, privateKey: PrivateKey.generate(.eddsa))
        notes[2] = try signed(size: 100, root: TileHashReader(storage: storage).treeHash(size: 100), by: stranger)
        notes[4] = notes[4].replacingOccurrences(of: "\n300\n", with: "\n299\n")
        let report = auditor.audit(entries: entries, checkpoints: notes, tiles: storage)
        #expect(report.problems == [AuditProblem(.badSignature, checkpoint: 2), AuditProblem(.badSignature, checkpoint: 4)])
        #expect(report.verifiedCheckpoints == [0, 1, 3, 5])
    }

    @Test func aForkedCheckpointIsNamed() throws {
        // Validly signed, but for a history the entries do not have.
        var notes = checkpoints
        notes[3] = try signed(size: 256, root: TestData.leafHashes(1, seed: 77)[0])
        let report = auditor.audit(entries: entries, checkpoints: notes, tiles: storage)
        #expect(report.problems == [AuditProblem(.rootMismatch, checkpoint: 3)])
    }

    @Test func inconsistentCheckpointsAreNamed() throws {
        let root300 = try TileHashReader(storage: storage).treeHash(size: 300)
        // A rollback: size 100 published after size 300.
        let rollback = checkpoints + [checkpoints[2]]
        #expect(auditor.audit(entries: entries, checkpoints: rollback, tiles: storage).problems
            == [AuditProblem(.inconsistentCheckpoints, checkpoint: 6)])
        // A split view: two different roots for size 300.
        let other = try signed(size: 300, root: TestData.leafHashes(1, seed: 78)[0])
        let split = Array(checkpoints[...4]) + [other]
        let report = auditor.audit(entries: entries, checkpoints: split, tiles: storage)
        #expect(Set(report.problems) == [AuditProblem(.inconsistentCheckpoints, checkpoint: 5),
                                         AuditProblem(.rootMismatch, checkpoint: 5)])
        #expect(report.verifiedCheckpoints == [0, 1, 2, 3, 4])
        #expect(root300 != TestData.leafHashes(1, seed: 78)[0])
    }

    @Test func checkpointsBeyondTheLogOrFromElsewhereAreNamed() throws {
        let beyond = try signed(size: 601, root: TestData.leafHashes(1, seed: 79)[0])
        let elsewhere = try signed(size: 1, root: TileHashReader(storage: storage).treeHash(size: 1),
                                   origin: "other.example/log")
        let report = auditor.audit(entries: entries, checkpoints: checkpoints + [beyond, elsewhere, "garbage"],
                                   tiles: storage)
        #expect(report.problems == [AuditProblem(.wrongOrigin, checkpoint: 7), AuditProblem(.malformedCheckpoint, checkpoint: 8),
                                    AuditProblem(.sizeBeyondLog, checkpoint: 6)])
        let body = try SignedNote.sign(text: "not a checkpoint\n", signer: signer)
        #expect(auditor.audit(entries: entries, checkpoints: [body]).problems
            == [AuditProblem(.malformedCheckpoint, checkpoint: 0)])
    }

    @Test func changedOrMissingTilesAreNamed() throws {
        struct Edited: TileStorage {
            let base: MemoryTileStorage
            let edit: (Int, Int, [[UInt8]]?) -> [[UInt8]]?
            func readTile(level: Int, index: Int) -> [[UInt8]]? { edit(level, index, base.readTile(level: level, index: index)) }
        }
        let changedRoot = Edited(base: storage) { level, index, hashes in
            guard level == 1, var hashes else { return hashes }
            hashes[1][0] ^= 1
            return hashes
        }
        #expect(auditor.audit(entries: entries, checkpoints: checkpoints, tiles: changedRoot).problems
            == [AuditProblem(.tileHashMismatch, leafIndex: 256)])
        let missing = Edited(base: storage) { level, index, hashes in level == 0 && index == 1 ? nil : hashes }
        #expect(auditor.audit(entries: entries, checkpoints: checkpoints, tiles: missing).problems
            == [AuditProblem(.missingTile, leafIndex: 256)])
        let short = Edited(base: storage) { level, index, hashes in level == 0 && index == 2 ? hashes.map { Array($0.prefix(10)) } : hashes }
        #expect(auditor.audit(entries: entries, checkpoints: checkpoints, tiles: short).problems
            == [AuditProblem(.missingTile, leafIndex: 522)])
    }

    @Test func streamingInPagesGivesTheSameReport() {
        var tampered = entries
        tampered[300][Self.firstHashByte(of: tampered[300])] ^= 0x80
        let notes = checkpoints.map { Array($0.utf8) }
        var audit = auditor.start(checkpoints: notes, tiles: storage)
        for page in stride(from: 0, to: tampered.count, by: 97) {
            for entry in tampered[page..<min(page + 97, tampered.count)] {
                audit.append(entry: entry)
            }
        }
        #expect(audit.treeSize == 600)
        let streamed = audit.finish()
        #expect(streamed == auditor.audit(entries: tampered, checkpoints: notes, tiles: storage))
        #expect(streamed.problems.contains(AuditProblem(.leafHashMismatch, leafIndex: 300)))
    }

    @Test func reportsAreBounded() {
        let bounded = LogAuditor(origin: Self.origin, verifiers: [signer.verifier], maximumProblems: 5)
        let garbage = entries.map { _ in [UInt8]([0x00]) }
        let report = bounded.audit(entries: garbage, checkpoints: checkpoints, tiles: storage)
        #expect(report.problems.count == 5)
        #expect(report.isTruncated)
    }
}
