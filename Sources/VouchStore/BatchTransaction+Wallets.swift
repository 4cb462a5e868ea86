internal import Foundation
internal import GRDB

/// The wallet operations of a group-commit transaction.
///
/// Each runs inside its caller's savepoint, next to the codes it issues: an
/// offer is used up, or a refresh is counted, only in the transaction that
/// logs the codes, and a refusal (offer gone, key reused, wallet revoked,
/// nonce seen) leaves nothing behind.
extension BatchTransaction {
    static func openWallet(_ opening: WalletOpening, _ db: Database) throws -> OperationOutcome {
        let time = opening.time.unixSeconds
        try db.execute(sql: """
            UPDATE offers SET redeemed_at = ?
            WHERE id = ? AND secret_hash = ? AND redeemed_at IS NULL AND expires_at > ?
            """, arguments: [time, opening.offerID, Data(opening.offerSecretHash), time])
        if db.changesCount != 1 {
            guard let row = try Row.fetchOne(db, sql: "SELECT redeemed_at, expires_at FROM offers WHERE id = ? AND secret_hash = ?",
                                             arguments: [opening.offerID, Data(opening.offerSecretHash)]) else {
                throw StoreError(code: .notFound, reason: "no offer with that secret")
            }
            if (row["redeemed_at"] as Int64?) != nil {
                throw StoreError(code: .invalidTransition, reason: "offer \(opening.offerID) was redeemed already")
            }
            throw StoreError(code: .expired, reason: "offer \(opening.offerID) has expired")
        }
        guard opening.publicKey.count == 65, opening.walletID.utf8.count == 32 else {
            throw StoreError(code: .invalidInput, reason: "wallet id or key has the wrong length")
        }
        let keyHash = WalletStore.hash(opening.publicKey)
        if try exists(db, "SELECT 1 FROM wallets WHERE key_hash = ? UNION ALL SELECT 1 FROM wallet_codes WHERE holder_key_hash = ?",
                      [Data(keyHash), Data(keyHash)]) {
            throw StoreError(code: .duplicate, reason: "the wallet key is already in use")
        }
        try db.execute(sql: """
            INSERT INTO wallets (id, public_key, key_hash, offer_id, kind, claims, valid_until, created_at)
            SELECT ?, ?, ?, id, kind, claims, valid_until, ? FROM offers WHERE id = ?
            """, arguments: [opening.walletID, Data(opening.publicKey), Data(keyHash), time, opening.offerID])
        return .walletOpened(id: opening.walletID)
    }

    static func walletCode(_ code: WalletCode, wallet id: String, _ db: Database,
                           _ sequencer: inout LogSequencer, _ receipts: ReceiptSigner) throws -> OperationOutcome {
        guard code.holderKeyHash.count == 32 else {
            throw StoreError(code: .invalidInput, reason: "holder key hash must be 32 bytes")
        }
        if try exists(db, "SELECT 1 FROM wallet_codes WHERE holder_key_hash = ? UNION ALL SELECT 1 FROM wallets WHERE key_hash = ?",
                      [Data(code.holderKeyHash), Data(code.holderKeyHash)]) {
            throw StoreError(code: .duplicate, reason: "a holder key is already in use")
        }
        let outcome = try issue(code.attestation, db, &sequencer, receipts)
        // Cached statements: a batch of 20 codes runs each of these 20 times, and preparing one costs more than running it.
        try db.cachedStatement(sql: "INSERT INTO wallet_codes (attestation_id, wallet_id, holder_key_hash) VALUES (?, ?, ?)")
            .execute(arguments: [code.attestation.id, id, Data(code.holderKeyHash)])
        try db.cachedStatement(sql: "UPDATE wallets SET issued_count = issued_count + 1 WHERE id = ?")
            .execute(arguments: [id])
        return outcome
    }

    static func refreshWallet(_ refresh: WalletRefresh, _ db: Database) throws -> OperationOutcome {
        guard let wallet = try WalletStore.wallet(db, id: refresh.walletID) else {
            throw StoreError(code: .notFound, reason: "no wallet \(refresh.walletID)")
        }
        guard !wallet.isRevoked else {
            throw StoreError(code: .invalidTransition, reason: "wallet \(wallet.id) is revoked")
        }
        let time = refresh.time.unixSeconds
        // The shared refresh limit (RefreshLimit): counted only if it allows this refresh, atomically.
        try db.execute(sql: """
            UPDATE wallets SET refresh_full_at = max(coalesce(refresh_full_at, ?), ?) + ?
            WHERE id = ? AND coalesce(refresh_full_at, 0) <= ?
            """, arguments: [time, time, refresh.limit.interval, wallet.id, time + refresh.limit.slack])
        if db.changesCount != 1 {
            throw refresh.limit.refusal(wallet: wallet.id, fullAt: wallet.refreshFullAt, now: time)
        }
        try db.execute(sql: "DELETE FROM wallet_nonces WHERE wallet_id = ? AND time < ?",
                       arguments: [wallet.id, time - Int64(WalletRefresh.nonceMemory)])
        if try exists(db, "SELECT 1 FROM wallet_nonces WHERE wallet_id = ? AND nonce_hash = ?",
                      [wallet.id, Data(refresh.nonceHash)]) {
            throw StoreError(code: .duplicate, reason: "the refresh nonce was used before")
        }
        try db.execute(sql: "INSERT INTO wallet_nonces (wallet_id, nonce_hash, time) VALUES (?, ?, ?)",
                       arguments: [wallet.id, Data(refresh.nonceHash), time])
        try db.execute(sql: "UPDATE wallets SET refresh_count = refresh_count + 1, last_refresh_at = ? WHERE id = ?",
                       arguments: [time, wallet.id])
        return .walletRefreshed(id: wallet.id)
    }

    /// Marks the wallet revoked and revokes each of its codes that is still outstanding, each with its log entry.
    static func revokeWallet(id: String, time: Date, _ db: Database,
                             _ sequencer: inout LogSequencer) throws -> OperationOutcome {
        guard let wallet = try WalletStore.wallet(db, id: id) else {
            throw StoreError(code: .notFound, reason: "no wallet \(id)")
        }
        if !wallet.isRevoked {
            try db.execute(sql: "UPDATE wallets SET revoked_at = ? WHERE id = ?", arguments: [time.unixSeconds, id])
        }
        let outstanding = try String.fetchAll(db, sql: """
            SELECT a.id FROM wallet_codes c JOIN attestations a ON a.id = c.attestation_id
            WHERE c.wallet_id = ? AND a.state != 'revoked' AND a.expires_at > ? ORDER BY a.log_index
            """, arguments: [id, time.unixSeconds])
        let changes = try outstanding.map { try transition(id: $0, to: .revoked, time: time, db, &sequencer) }
        return .walletRevoked(id: id, wasRevoked: wallet.isRevoked, changes: changes)
    }

    private static func exists(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (\(sql))"), arguments: arguments) ?? false
    }
}
