internal import Foundation
internal import PostgresNIO

/// The wallet operations of a PostgreSQL group commit, as ``BatchTransaction`` does them on SQLite.
///
/// The offer is used up by a conditional UPDATE and the wallet row is locked
/// (`FOR UPDATE`) before a refresh or revocation, so two nodes redeeming one
/// offer or refreshing one wallet at once serialize on that row; the refresh
/// limit is counted by a conditional UPDATE of that row besides.
extension PostgresBatch {
    func openWallet(_ opening: WalletOpening) async throws -> Draft {
        let time = opening.time.unixSeconds
        let used = try await connection.run("""
            UPDATE offers SET redeemed_at = \(time)
            WHERE id = \(opening.offerID) AND secret_hash = \(Data(opening.offerSecretHash))
              AND redeemed_at IS NULL AND expires_at > \(time) RETURNING 1
            """)
        if used != 1 {
            guard let row = try await connection.rows("""
                SELECT redeemed_at FROM offers WHERE id = \(opening.offerID) AND secret_hash = \(Data(opening.offerSecretHash))
                """).first else {
                throw StoreError(code: .notFound, reason: "no offer with that secret")
            }
            if try row.decode(Int64?.self) != nil {
                throw StoreError(code: .invalidTransition, reason: "offer \(opening.offerID) was redeemed already")
            }
            throw StoreError(code: .expired, reason: "offer \(opening.offerID) has expired")
        }
        guard opening.publicKey.count == 65, opening.walletID.utf8.count == 32 else {
            throw StoreError(code: .invalidInput, reason: "wallet id or key has the wrong length")
        }
        let keyHash = Data(WalletStore.hash(opening.publicKey))
        if try await connection.exists("""
            SELECT 1 FROM wallets WHERE key_hash = \(keyHash) UNION ALL SELECT 1 FROM wallet_codes WHERE holder_key_hash = \(keyHash)
            """) {
            throw StoreError(code: .duplicate, reason: "the wallet key is already in use")
        }
        try await connection.run("""
            INSERT INTO wallets (id, public_key, key_hash, offer_id, kind, claims, valid_until, created_at)
            SELECT \(opening.walletID), \(Data(opening.publicKey)), \(keyHash), id, kind, claims, valid_until, \(time)
            FROM offers WHERE id = \(opening.offerID)
            """)
        return .walletOpened(id: opening.walletID)
    }

    func walletCode(_ code: WalletCode, wallet id: String, _ pending: inout Pending) async throws -> Draft {
        guard code.holderKeyHash.count == 32 else {
            throw StoreError(code: .invalidInput, reason: "holder key hash must be 32 bytes")
        }
        let hash = Data(code.holderKeyHash)
        if try await connection.exists("""
            SELECT 1 FROM wallet_codes WHERE holder_key_hash = \(hash) UNION ALL SELECT 1 FROM wallets WHERE key_hash = \(hash)
            """) {
            throw StoreError(code: .duplicate, reason: "a holder key is already in use")
        }
        let draft = try await issue(code.attestation, &pending)
        try await connection.run("""
            INSERT INTO wallet_codes (attestation_id, wallet_id, holder_key_hash) VALUES (\(code.attestation.id), \(id), \(hash))
            """)
        try await connection.run("UPDATE wallets SET issued_count = issued_count + 1 WHERE id = \(id)")
        return draft
    }

    func refreshWallet(_ refresh: WalletRefresh) async throws -> Draft {
        let id = refresh.walletID
        guard let row = try await connection.rows(
            "SELECT revoked_at, refresh_full_at FROM wallets WHERE id = \(id) FOR UPDATE").first else {
            throw StoreError(code: .notFound, reason: "no wallet \(id)")
        }
        let (revoked, fullAt) = try row.decode((Int64?, Int64?).self)
        guard revoked == nil else {
            throw StoreError(code: .invalidTransition, reason: "wallet \(id) is revoked")
        }
        let time = refresh.time.unixSeconds
        // The refresh limit every node shares (RefreshLimit): one conditional UPDATE, so two nodes cannot both pass.
        let counted = try await connection.run("""
            UPDATE wallets SET refresh_full_at = GREATEST(COALESCE(refresh_full_at, \(time)), \(time)) + \(Int64(refresh.limit.interval))
            WHERE id = \(id) AND COALESCE(refresh_full_at, 0) <= \(time + refresh.limit.slack) RETURNING 1
            """)
        if counted != 1 { throw refresh.limit.refusal(wallet: id, fullAt: fullAt, now: time) }
        let nonce = Data(refresh.nonceHash)
        try await connection.run(
            "DELETE FROM wallet_nonces WHERE wallet_id = \(id) AND time < \(time - Int64(WalletRefresh.nonceMemory))")
        if try await connection.exists("SELECT 1 FROM wallet_nonces WHERE wallet_id = \(id) AND nonce_hash = \(nonce)") {
            throw StoreError(code: .duplicate, reason: "the refresh nonce was used before")
        }
        try await connection.run("INSERT INTO wallet_nonces (wallet_id, nonce_hash, time) VALUES (\(id), \(nonce), \(time))")
        try await connection.run(
            "UPDATE wallets SET refresh_count = refresh_count + 1, last_refresh_at = \(time) WHERE id = \(id)")
        return .walletRefreshed(id: id)
    }

    func revokeWallet(id: String, time: Date, _ pending: inout Pending) async throws -> Draft {
        guard let row = try await connection.rows("SELECT revoked_at FROM wallets WHERE id = \(id) FOR UPDATE").first else {
            throw StoreError(code: .notFound, reason: "no wallet \(id)")
        }
        let wasRevoked = try row.decode(Int64?.self) != nil
        if !wasRevoked {
            try await connection.run("UPDATE wallets SET revoked_at = \(time.unixSeconds) WHERE id = \(id)")
        }
        var outstanding: [String] = []
        for row in try await connection.rows("""
            SELECT a.id FROM wallet_codes c JOIN attestations a ON a.id = c.attestation_id
            WHERE c.wallet_id = \(id) AND a.state != 'revoked' AND a.expires_at > \(time.unixSeconds)
            ORDER BY a.log_index, a.id
            """) {
            outstanding.append(try row.decode(String.self))
        }
        var changes: [Draft] = []
        for attestation in outstanding {
            changes.append(try await transition(id: attestation, to: .revoked, time: time, &pending))
        }
        return .walletRevoked(id: id, wasRevoked: wasRevoked, changes: changes)
    }
}
