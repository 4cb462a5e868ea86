import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog
@testable import VouchStore

/// Receipts are signed by the writer on both stores, before the answer, at the index the commit took (on
/// PostgreSQL before any checkpoint covers it: the receipt is the promise that one will).
@Suite("Log receipts from the writer")
struct ReceiptSigningTests {
    @Test("every committed code gets a receipt for its own index, token hash and entry time",
          arguments: Backend.allCases)
    func receiptPerCommit(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        let items = try (0..<40).map { _ in try Sample.attestation() }
        let committed = try await withThrowingTaskGroup(of: (PendingAttestation, CommittedAttestation).self) { group in
            for item in items { group.addTask { (item, try await writer.commit(item)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let key = fixture.receiptKey.publicKey
        for (item, result) in committed {
            #expect(result.receipt.index == UInt64(result.logIndex))
            #expect(result.receipt.time == UInt64(item.issuedAt.timeIntervalSince1970))
            let message = LogReceipt.message(origin: StoreFixture.origin, index: result.receipt.index,
                                             time: result.receipt.time, tokenHash: item.tokenHash)
            #expect(key.isValidSignature(result.receipt.signature, for: message))
            // Not a receipt for another code, another index, or another log.
            let other = LogReceipt.message(origin: "other.example/log", index: result.receipt.index,
                                           time: result.receipt.time, tokenHash: item.tokenHash)
            #expect(!key.isValidSignature(result.receipt.signature, for: other))
            #expect(!fixture.logKey.publicKey.isValidSignature(result.receipt.signature, for: message))
        }
        // A bulk commit signs a receipt per item too.
        let bulk = try await writer.commitBulk([try Sample.attestation(), try Sample.attestation()])
        #expect(bulk.map(\.receipt.index) == [40, 41])
    }

    @Test("the receipt key's key_added entry is logged once, however often the writer starts",
          arguments: Backend.allCases)
    func keyLoggedOnce(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let first = try await fixture.writer().logReceiptKey(time: Sample.issuedAt)
        _ = try await fixture.writer().commit(Sample.attestation())
        let again = try await fixture.writer().logReceiptKey(time: Sample.issuedAt.addingTimeInterval(60))
        #expect(first.index == 0 && again.index == 0)
        #expect(try await fixture.counts().logEntries == 2)
        let entry = try LogEntry(cbor: try #require(try await fixture.reader.entries(in: 0..<1).first).entry)
        #expect(entry.event == .keyAdded)
        let spkiHash = Digest.sha256(fixture.receiptKey.publicKey.spkiDER)
        #expect(entry.kid == Array(spkiHash.prefix(8)))
        #expect(entry.certificate == spkiHash)
    }
}
