internal import GRDB

// MARK: - Schema history
//
// A migration that has shipped is never edited: its identifier is recorded in
// every database it ran on, and an edit would leave old and new files with
// different schemas under the same name. Change the schema by appending a new
// `v2-...` migration.
//
// Privacy: no column holds a name, a birth date, a document number, a token or
// an API secret. Tokens and secrets are present only as SHA-256 hashes, a
// subject only as the caller's HMAC pseudonym.

extension VouchDatabase {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-schema") { db in
            try db.execute(sql: v1Schema)
        }
        migrator.registerMigration("v2-status-lists") { db in
            try db.execute(sql: v2StatusLists)
        }
        migrator.registerMigration("v3-receipt-keys") { db in
            try db.execute(sql: v3ReceiptKeys)
        }
        migrator.registerMigration("v4-wallets") { db in
            try db.execute(sql: v3Wallets)
        }
        migrator.registerMigration("v5-wallet-refresh-limit") { db in
            try db.execute(sql: v5WalletRefreshLimit)
        }
        return migrator
    }()

    static func migrate(_ pool: DatabasePool) throws {
        try StoreError.wrap("migrate") {
            try migrator.migrate(pool)
        }
        let superseded = try StoreError.wrap("check schema version") {
            try pool.read { db in try migrator.hasBeenSuperseded(db) }
        }
        if superseded {
            throw StoreError(
                code: .unsupportedSchema,
                reason: "the database has migrations this version of Vouch does not know; upgrade Vouch")
        }
    }

    private static let v1Schema = """
        CREATE TABLE log_entries (
            idx INTEGER PRIMARY KEY CHECK (idx >= 0),
            entry BLOB NOT NULL,
            leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32)
        );
        CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries
        BEGIN SELECT RAISE(ABORT, 'log_entries is append-only'); END;
        CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries
        BEGIN SELECT RAISE(ABORT, 'log_entries is append-only'); END;

        CREATE TABLE log_tiles (
            level INTEGER NOT NULL CHECK (level >= 0),
            idx INTEGER NOT NULL CHECK (idx >= 0),
            hashes BLOB NOT NULL CHECK (length(hashes) % 32 = 0 AND length(hashes) > 0),
            PRIMARY KEY (level, idx)
        ) WITHOUT ROWID;

        CREATE TABLE checkpoints (
            size INTEGER PRIMARY KEY CHECK (size > 0),
            note TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
        BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
        CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
        BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;

        CREATE TABLE attestations (
            id TEXT PRIMARY KEY CHECK (length(id) = 32),
            kid BLOB NOT NULL CHECK (length(kid) > 0),
            vct TEXT NOT NULL,
            token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
            issued_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            status_list INTEGER,
            status_idx INTEGER,
            subject BLOB CHECK (subject IS NULL OR length(subject) = 32),
            state TEXT NOT NULL DEFAULT 'valid' CHECK (state IN ('valid', 'revoked', 'suspended')),
            log_index INTEGER UNIQUE REFERENCES log_entries (idx),
            CHECK ((status_list IS NULL) = (status_idx IS NULL))
        );
        CREATE UNIQUE INDEX attestations_status_slot ON attestations (status_list, status_idx)
            WHERE status_list IS NOT NULL;
        CREATE INDEX attestations_subject ON attestations (subject) WHERE subject IS NOT NULL;
        CREATE INDEX attestations_expires_at ON attestations (expires_at);

        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            name TEXT,
            key_hash BLOB NOT NULL UNIQUE CHECK (length(key_hash) = 32),
            scopes TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        );
        """
}

extension DatabaseMigrator {
    func appliedIdentifiers(_ db: Database) throws -> [String] {
        try appliedMigrations(db)
    }
}

// MARK: - v2-status-lists

extension VouchDatabase {
    /// One row per status list (format.md §4). A list's URI is fixed when it is
    /// created, because every attestation that points into it carries that URI:
    /// after a change of public URL the old lists keep theirs and new lists get
    /// the new one. Slots are the `attestations.status_list`/`status_idx` pairs,
    /// unique by `attestations_status_slot`, so a slot is never used twice.
    static let v2StatusLists = """
        CREATE TABLE status_lists (
            id INTEGER PRIMARY KEY CHECK (id >= 0),
            size INTEGER NOT NULL CHECK (size > 0),
            uri TEXT NOT NULL UNIQUE CHECK (length(uri) > 0),
            created_at INTEGER NOT NULL
        );
        CREATE TRIGGER status_lists_no_update BEFORE UPDATE ON status_lists
        BEGIN SELECT RAISE(ABORT, 'status lists are immutable'); END;
        CREATE TRIGGER status_lists_no_delete BEFORE DELETE ON status_lists
        BEGIN SELECT RAISE(ABORT, 'status lists are never deleted'); END;
        """
}

// MARK: - v3-receipt-keys

extension VouchDatabase {
    /// Receipt keys whose `key_added` entry is in the log (format.md §7), so
    /// the entry is written once per key however often the writer starts.
    /// `key_hash` is SHA-256 of the key's SubjectPublicKeyInfo DER: public.
    static let v3ReceiptKeys = """
        CREATE TABLE receipt_keys (
            key_hash BLOB PRIMARY KEY CHECK (length(key_hash) = 32),
            log_index INTEGER NOT NULL UNIQUE REFERENCES log_entries (idx)
        );
        """
}
