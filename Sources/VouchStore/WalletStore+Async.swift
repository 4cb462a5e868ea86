public import Foundation
internal import PostgresNIO
internal import VouchCrypto

/// Offers and the read side of wallets on either store, async (PostgreSQL is reached over the network).
extension WalletStore {
    /// ``createOffer(kind:ageOver:concession:validUntil:batchSize:now:lifetime:)`` on either store.
    public func saveOffer(kind: Offer.Kind, ageOver: [Int] = [], concession: String? = nil,
                          validUntil: String? = nil, batchSize: Int, now: Date,
                          lifetime: TimeInterval) async throws -> (offer: Offer, secret: [UInt8]) {
        guard case .postgres(let database) = store else {
            return try createOffer(kind: kind, ageOver: ageOver, concession: concession, validUntil: validUntil,
                                   batchSize: batchSize, now: now, lifetime: lifetime)
        }
        let (offer, secret) = try newOffer(kind: kind, ageOver: ageOver, concession: concession, validUntil: validUntil,
                                           batchSize: batchSize, now: now, lifetime: lifetime)
        let hash = Data(Self.hash(secret))
        try await database.withConnection("create offer") { connection in
            try await connection.run("""
                INSERT INTO offers (id, secret_hash, kind, claims, valid_until, batch_size, created_at, expires_at)
                VALUES (\(offer.id), \(hash), \(kind.rawValue), \(offer.claimsText), \(validUntil), \(Int32(batchSize)),
                        \(offer.createdAt.unixSeconds), \(offer.expiresAt.unixSeconds))
                """)
        }
        return (offer, secret)
    }

    /// ``offer(secret:)`` on either store.
    public func loadOffer(secret: [UInt8]) async throws -> Offer? {
        guard case .postgres(let database) = store else { return try offer(secret: secret) }
        guard secret.count == 32 else { return nil }
        let presented = Self.hash(secret)
        return try await database.withConnection("read offer") { connection -> Offer? in
            guard let row = try await connection.rows("""
                SELECT id, secret_hash, kind, claims, valid_until, batch_size, created_at, expires_at, redeemed_at
                FROM offers WHERE secret_hash = \(Data(presented))
                """).first else { return nil }
            let (id, hash, kindText, claimsText, validUntil, batchSize, created, expires, redeemed) = try row.decode(
                (String, Data, String, String, String?, Int32, Int64, Int64, Int64?).self)
            guard constantTimeEquals([UInt8](hash), presented), let kind = Offer.Kind(rawValue: kindText) else { return nil }
            let claims = Offer.claims(kind: kind, text: claimsText)
            return Offer(id: id, kind: kind, ageOver: claims.ageOver, concession: claims.concession,
                         validUntil: validUntil, batchSize: Int(batchSize), createdAt: Date(unixSeconds: created),
                         expiresAt: Date(unixSeconds: expires), redeemedAt: redeemed.map(Date.init(unixSeconds:)))
        }
    }

    /// ``wallet(id:)`` on either store.
    public func loadWallet(id: String) async throws -> WalletRecord? {
        guard case .postgres(let database) = store else { return try wallet(id: id) }
        return try await database.withConnection("read wallet") { connection -> WalletRecord? in
            guard let row = try await connection.rows("""
                SELECT w.id, w.public_key, w.kind, w.claims, w.valid_until, o.batch_size, w.created_at,
                       w.issued_count, w.refresh_count, w.last_refresh_at, w.revoked_at, w.refresh_full_at
                FROM wallets w JOIN offers o ON o.id = w.offer_id WHERE w.id = \(id)
                """).first else { return nil }
            let (walletID, key, kindText, claimsText, validUntil, batchSize, created, issued, refreshed, last, revoked, full)
                = try row.decode((String, Data, String, String, String?, Int32, Int64, Int32, Int32, Int64?, Int64?,
                                  Int64?).self)
            guard let kind = Offer.Kind(rawValue: kindText) else { return nil }
            let claims = Offer.claims(kind: kind, text: claimsText)
            return WalletRecord(id: walletID, publicKey: [UInt8](key), kind: kind, ageOver: claims.ageOver,
                                concession: claims.concession, validUntil: validUntil, batchSize: Int(batchSize),
                                createdAt: Date(unixSeconds: created), issuedCount: Int(issued),
                                refreshCount: Int(refreshed), lastRefreshAt: last.map(Date.init(unixSeconds:)),
                                refreshFullAt: full, revokedAt: revoked.map(Date.init(unixSeconds:)))
        }
    }

    /// ``codes(wallet:)`` on either store.
    public func loadCodes(wallet id: String) async throws -> [AttestationRecord] {
        guard case .postgres(let database) = store else { return try codes(wallet: id) }
        return try await database.withConnection("read wallet codes") { connection in
            try await connection.rows("""
                SELECT a.* FROM wallet_codes c JOIN attestations a ON a.id = c.attestation_id
                WHERE c.wallet_id = \(id) ORDER BY a.log_index
                """).map(AttestationRecord.init(postgres:))
        }
    }

    /// ``usedKeyHashes(_:)`` on either store.
    public func loadUsedKeyHashes(_ hashes: [[UInt8]]) async throws -> Set<[UInt8]> {
        guard case .postgres(let database) = store else { return try usedKeyHashes(hashes) }
        guard !hashes.isEmpty else { return [] }
        let values = hashes.map { ByteBuffer($0) }
        return try await database.withConnection("check holder keys") { connection in
            var used = Set<[UInt8]>()
            for row in try await connection.rows("""
                SELECT holder_key_hash FROM wallet_codes WHERE holder_key_hash = ANY(\(values)::bytea[])
                UNION SELECT key_hash FROM wallets WHERE key_hash = ANY(\(values)::bytea[])
                """) {
                used.insert([UInt8](try row.decode(Data.self)))
            }
            return used
        }
    }
}
