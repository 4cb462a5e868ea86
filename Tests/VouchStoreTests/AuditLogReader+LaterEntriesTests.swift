import Foundation
import Testing
import VouchLog
@testable import VouchStore

@Suite("AuditLogReader later entries")
struct AuditLogReaderLaterEntriesTests {
    @Test("an attestation's state changes are found by its token hash, in order, within the size asked",
          arguments: Backend.allCases)
    func laterEntries(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        let items = try (0..<5).map { _ in try Sample.attestation() }
        let committed = try await writer.commitBulk(items)
        let (changed, untouched, revoked) = (committed[0], committed[1], committed[3])
        _ = try await writer.suspend(id: changed.id)                  // 5
        _ = try await writer.commitBulk([try Sample.attestation()])  // 6
        _ = try await writer.revoke(id: revoked.id)                   // 7
        _ = try await writer.reinstate(id: changed.id)                // 8
        try await fixture.integrate()
        let reader = fixture.reader
        let size = try await reader.treeSize()
        #expect(size == 9)

        let later = try await reader.laterEntries(tokenHash: items[0].tokenHash, after: changed.logIndex, below: size)
        #expect(later.map(\.index) == [5, 8])
        #expect(try later.map { try LogEntry(cbor: $0.entry).event } == [.suspended, .reinstated])
        #expect(later.allSatisfy { MerkleHash.leaf($0.entry) == $0.leafHash })
        #expect(try await reader.laterEntries(tokenHash: items[0].tokenHash, after: changed.logIndex, below: 8)
            .map(\.index) == [5])
        #expect(try await reader.laterEntries(tokenHash: items[1].tokenHash, after: untouched.logIndex, below: size)
            .isEmpty)
        #expect(try await reader.laterEntries(tokenHash: items[3].tokenHash, after: revoked.logIndex, below: size)
            .map(\.index) == [7])
        await #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            try await reader.laterEntries(tokenHash: [1, 2, 3], after: 0, below: size)
        }
    }
}
