internal import GRDB

// MARK: - v3-wallets
//
// Offers and wallets (service.md "Holder wallet"). What is here is what will
// be issued — the thresholds met or the concession and its end date — and
// never a name, a birth date or a document number. An offer's secret and a
// holder key are present only as SHA-256 hashes; a wallet's own public key is
// kept (refresh requests are checked against it), as are the status slots of
// its codes, through `wallet_codes` -> `attestations`, so that a lost phone
// can be revoked in one call.

extension VouchDatabase {
    static let v3Wallets = """
        CREATE TABLE offers (
            id TEXT PRIMARY KEY CHECK (length(id) = 16),
            secret_hash BLOB NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
            kind TEXT NOT NULL CHECK (kind IN ('age', 'concession')),
            claims TEXT NOT NULL CHECK (length(claims) > 0),
            valid_until TEXT,
            batch_size INTEGER NOT NULL CHECK (batch_size > 0),
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            redeemed_at INTEGER,
            CHECK ((kind = 'concession') = (valid_until IS NOT NULL))
        );

        CREATE TABLE wallets (
            id TEXT PRIMARY KEY CHECK (length(id) = 32),
            public_key BLOB NOT NULL CHECK (length(public_key) = 65),
            key_hash BLOB NOT NULL UNIQUE CHECK (length(key_hash) = 32),
            offer_id TEXT NOT NULL UNIQUE REFERENCES offers (id),
            kind TEXT NOT NULL CHECK (kind IN ('age', 'concession')),
            claims TEXT NOT NULL,
            valid_until TEXT,
            created_at INTEGER NOT NULL,
            issued_count INTEGER NOT NULL DEFAULT 0 CHECK (issued_count >= 0),
            refresh_count INTEGER NOT NULL DEFAULT 0 CHECK (refresh_count >= 0),
            last_refresh_at INTEGER,
            revoked_at INTEGER
        );

        CREATE TABLE wallet_codes (
            attestation_id TEXT PRIMARY KEY REFERENCES attestations (id),
            wallet_id TEXT NOT NULL REFERENCES wallets (id),
            holder_key_hash BLOB NOT NULL UNIQUE CHECK (length(holder_key_hash) = 32)
        );
        CREATE INDEX wallet_codes_wallet ON wallet_codes (wallet_id);

        CREATE TABLE wallet_nonces (
            wallet_id TEXT NOT NULL REFERENCES wallets (id),
            nonce_hash BLOB NOT NULL CHECK (length(nonce_hash) = 32),
            time INTEGER NOT NULL,
            PRIMARY KEY (wallet_id, nonce_hash)
        ) WITHOUT ROWID;
        """
}

// MARK: - v5-wallet-refresh-limit
//
// The refresh limit moved from each node's memory into the store
// (``RefreshLimit``): when the wallet's refresh allowance is whole again, in
// Unix seconds; NULL before its first refresh. A time, nothing personal.

extension VouchDatabase {
    static let v5WalletRefreshLimit = "ALTER TABLE wallets ADD COLUMN refresh_full_at INTEGER"
}

extension VouchDatabase {
    /// A table's column names in order (the privacy tests pin what may be stored).
    func columns(of table: String) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table])
        }
    }
}
