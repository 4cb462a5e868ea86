import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchLog
@testable import VouchStore

/// The store's side of the privacy rules (service.md): it is never handed a
/// personal attribute, so none can reach its files.
@Suite("Privacy")
struct PrivacyTests {
    @Test("a name in the caller's claims appears nowhere in the database files")
    func nameCanary() async throws {
        let fixture = try StoreFixture()
        let writer = try fixture.writer()
        let canary = "Zebulon-Canary-\(UUID().uuidString)"
        let birthDate = "1987-06-05"
        let reference = "customer-\(UUID().uuidString)"

        // What the issuer signs: the claims hold the name and birth date.
        let claims = CBOR.map([
            CBOR.Pair("vct", "identity"),
            CBOR.Pair("given_name", .text(canary)),
            CBOR.Pair("family_name", .text(canary)),
            CBOR.Pair("birth_date", .text(birthDate)),
        ]).encoded()
        let coseSign1 = CBOR.array([.bytes([0xa0]), .map([]), .bytes(claims), .bytes(Array(repeating: 7, count: 64))])
            .encoded()
        let subject = try LogEntry.subjectPseudonym(secret: Array(repeating: 9, count: 32), reference: reference)

        // What the store receives: hashes and the pseudonym only.
        let item = PendingAttestation(
            cti: try SecureRandom.bytes(count: 16), kid: Sample.kid, vct: .identity,
            tokenHash: PendingAttestation.tokenHash(of: coseSign1), issuedAt: Sample.issuedAt,
            expiresAt: Sample.issuedAt.addingTimeInterval(86_400), subject: subject)
        _ = try await writer.commit(item)
        _ = try await writer.revoke(id: item.id)

        // Both before and after the WAL is folded into the main file.
        for checkpointed in [false, true] {
            if checkpointed { try fixture.database.checkpointWAL() }
            #expect(try !fixture.filesContain(Array(canary.utf8)))
            #expect(try !fixture.filesContain(Array(birthDate.utf8)))
            #expect(try !fixture.filesContain(Array(reference.utf8)))
            #expect(try !fixture.filesContain(claims))
            #expect(try !fixture.filesContain(coseSign1))
        }
        // The test would notice a leak: the token hash is there.
        #expect(try fixture.filesContain(item.tokenHash))
        #expect(try await fixture.reader.attestations(subject: subject).map(\.id) == [item.id])
    }
}
