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

    @Test("offers and wallets have columns for what will be issued, never for a person")
    func walletColumns() throws {
        let fixture = try StoreFixture()
        let columns = try ["offers", "wallets", "wallet_codes", "wallet_nonces"].map {
            try fixture.database.columns(of: $0)
        }
        #expect(columns == [
            ["id", "secret_hash", "kind", "claims", "valid_until", "batch_size", "created_at", "expires_at", "redeemed_at"],
            ["id", "public_key", "key_hash", "offer_id", "kind", "claims", "valid_until", "created_at", "issued_count",
             "refresh_count", "last_refresh_at", "revoked_at", "refresh_full_at"],
            ["attestation_id", "wallet_id", "holder_key_hash"],
            ["wallet_id", "nonce_hash", "time"],
        ])
    }

    @Test("an offer's secret and a holder key are stored only as hashes")
    func walletHashes() async throws {
        let fixture = try StoreFixture()
        let store = WalletStore(database: fixture.database)
        let (offer, secret) = try store.createOffer(kind: .age, ageOver: [18], batchSize: 1, now: Sample.issuedAt,
                                                     lifetime: 600)
        let holder = [0x04] + (try SecureRandom.bytes(count: 64))
        let code = WalletCode(attestation: try Sample.attestation(), holderKeyHash: WalletStore.hash(holder))
        let opening = WalletOpening(walletID: Hex.encode(try SecureRandom.bytes(count: 16)),
                                    publicKey: [0x04] + (try SecureRandom.bytes(count: 64)), offerID: offer.id,
                                    offerSecretHash: WalletStore.hash(secret), time: Sample.issuedAt)
        _ = try await fixture.writer().redeem(opening, codes: [code])
        try fixture.database.checkpointWAL()
        #expect(try !fixture.filesContain(secret))
        #expect(try !fixture.filesContain(holder))
        #expect(try fixture.filesContain(WalletStore.hash(holder)))
    }
}
