public import Foundation
internal import GRDB
internal import VouchCrypto

/// Offers and the read side of wallets.
///
/// Creating an offer is not an audit event (nothing is issued yet), so it is
/// a plain write here; everything that issues or revokes goes through the
/// ``IssuanceWriter`` so that it is logged in the same transaction.
public struct WalletStore: Sendable {
    let store: Store

    public init(database: VouchDatabase) {
        self.store = .sqlite(database)
    }

    /// Offers and wallets on either store; on PostgreSQL use the async calls (``saveOffer(kind:ageOver:concession:validUntil:batchSize:now:lifetime:)``, ...).
    public init(store: Store) {
        self.store = store
    }

    /// The SQLite database behind the synchronous calls.
    private var database: VouchDatabase {
        get throws {
            guard case .sqlite(let database) = store else {
                throw StoreError(code: .invalidInput, reason: "synchronous wallet calls exist on SQLite only")
            }
            return database
        }
    }

    /// The hash an offer secret or a key is kept as.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        Digest.sha256(bytes)
    }

    // MARK: - Offers

    /// Stores a new offer and returns it with its secret (32 random bytes), which is not kept.
    ///
    /// - Throws: `StoreError.invalidInput` for an offer that breaks its kind's shape.
    public func createOffer(kind: Offer.Kind, ageOver: [Int] = [], concession: String? = nil,
                            validUntil: String? = nil, batchSize: Int, now: Date,
                            lifetime: TimeInterval) throws -> (offer: Offer, secret: [UInt8]) {
        let (offer, secret) = try newOffer(kind: kind, ageOver: ageOver, concession: concession, validUntil: validUntil,
                                           batchSize: batchSize, now: now, lifetime: lifetime)
        try StoreError.wrap("create offer") {
            try database.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO offers (id, secret_hash, kind, claims, valid_until, batch_size, created_at, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [offer.id, Data(Self.hash(secret)), kind.rawValue, offer.claimsText, validUntil,
                                batchSize, offer.createdAt.unixSeconds, offer.expiresAt.unixSeconds])
            }
        }
        return (offer, secret)
    }

    /// The offer whose secret this is, redeemed or not; `nil` if none.
    public func offer(secret: [UInt8]) throws -> Offer? {
        guard secret.count == 32 else { return nil }
        let presented = Self.hash(secret)
        let row = try StoreError.wrap("read offer") {
            try database.pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM offers WHERE secret_hash = ?", arguments: [Data(presented)])
            }
        }
        guard let row, constantTimeEquals([UInt8](row["secret_hash"] as Data), presented) else { return nil }
        return Self.offer(row)
    }

    static func offer(_ row: Row) -> Offer? {
        guard let kind = Offer.Kind(rawValue: row["kind"]) else { return nil }
        let claims = Offer.claims(kind: kind, text: row["claims"])
        let redeemed: Int64? = row["redeemed_at"]
        return Offer(id: row["id"], kind: kind, ageOver: claims.ageOver, concession: claims.concession,
                     validUntil: row["valid_until"], batchSize: row["batch_size"],
                     createdAt: Date(unixSeconds: row["created_at"]), expiresAt: Date(unixSeconds: row["expires_at"]),
                     redeemedAt: redeemed.map(Date.init(unixSeconds:)))
    }

    // MARK: - Wallets

    /// The wallet with that id, revoked or not.
    public func wallet(id: String) throws -> WalletRecord? {
        try StoreError.wrap("read wallet") {
            try database.pool.read { db in try Self.wallet(db, id: id) }
        }
    }

    static func wallet(_ db: Database, id: String) throws -> WalletRecord? {
        guard let row = try Row.fetchOne(db, sql: """
                  SELECT w.*, o.batch_size FROM wallets w JOIN offers o ON o.id = w.offer_id WHERE w.id = ?
                  """, arguments: [id]),
              let kind = Offer.Kind(rawValue: row["kind"]) else { return nil }
        let claims = Offer.claims(kind: kind, text: row["claims"])
        let last: Int64? = row["last_refresh_at"], revoked: Int64? = row["revoked_at"], full: Int64? = row["refresh_full_at"]
        return WalletRecord(id: row["id"], publicKey: [UInt8](row["public_key"] as Data), kind: kind,
                            ageOver: claims.ageOver, concession: claims.concession, validUntil: row["valid_until"],
                            batchSize: row["batch_size"], createdAt: Date(unixSeconds: row["created_at"]), issuedCount: row["issued_count"],
                            refreshCount: row["refresh_count"], lastRefreshAt: last.map(Date.init(unixSeconds:)),
                            refreshFullAt: full, revokedAt: revoked.map(Date.init(unixSeconds:)))
    }

    /// The codes issued to a wallet, oldest first.
    public func codes(wallet id: String) throws -> [AttestationRecord] {
        try StoreError.wrap("read wallet codes") {
            try database.pool.read { db in
                try String.fetchAll(db, sql: """
                    SELECT c.attestation_id FROM wallet_codes c JOIN attestations a ON a.id = c.attestation_id
                    WHERE c.wallet_id = ? ORDER BY a.log_index
                    """, arguments: [id]).compactMap { try AttestationRecord.fetch(db, id: $0) }
            }
        }
    }

    /// Which of these key hashes (holder or wallet keys) are already in use.
    public func usedKeyHashes(_ hashes: [[UInt8]]) throws -> Set<[UInt8]> {
        try StoreError.wrap("check holder keys") {
            try database.pool.read { db in
                var used = Set<[UInt8]>()
                for hash in hashes {
                    let arguments: StatementArguments = [Data(hash)]
                    let holder = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM wallet_codes WHERE holder_key_hash = ?)",
                                                   arguments: arguments) ?? false
                    let wallet = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM wallets WHERE key_hash = ?)",
                                                   arguments: arguments) ?? false
                    if holder || wallet { used.insert(hash) }
                }
                return used
            }
        }
    }

    /// A new offer and its secret, checked, not yet stored.
    func newOffer(kind: Offer.Kind, ageOver: [Int], concession: String?, validUntil: String?, batchSize: Int,
                  now: Date, lifetime: TimeInterval) throws -> (offer: Offer, secret: [UInt8]) {
        let secret: [UInt8], idBytes: [UInt8]
        do {
            secret = try SecureRandom.bytes(count: 32)
            idBytes = try SecureRandom.bytes(count: 8)
        } catch {
            throw StoreError(code: .database, reason: "no randomness for an offer")
        }
        let created = Date(unixSeconds: now.unixSeconds)
        let offer = Offer(id: Hex.encode(idBytes), kind: kind, ageOver: ageOver, concession: concession,
                          validUntil: validUntil, batchSize: batchSize, createdAt: created,
                          expiresAt: Date(unixSeconds: created.unixSeconds + Int64(max(1, lifetime))))
        try offer.validate()
        return (offer, secret)
    }
}
