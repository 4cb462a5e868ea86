internal import Foundation
internal import PostgresNIO

// MARK: - Schema history (PostgreSQL)
//
// Versions are rows of `schema_migrations`; a shipped version is never edited.
// The tables mirror the SQLite schema (VouchDatabase+Migrations.swift) with
// what several nodes need on top: `log_head` (the next index, taken under its
// row lock by every node's writer), `log_state` (the integrated size and root,
// moved by compare-and-swap), `integrator_lease` (which node integrates) and
// `status_slots` (each node claims its random status slots there first).
// Privacy as on SQLite: hashes and pseudonyms only.

extension PostgresDatabase {
    /// Versions in order, each a list of statements (the extended protocol runs one statement per query).
    static let migrations: [(version: String, statements: [String])] = [
        ("v1-schema", v1Schema),
        // The refresh limit shared by every node (RefreshLimit): when a wallet's allowance is whole again.
        ("v2-wallet-refresh-limit", ["ALTER TABLE wallets ADD COLUMN refresh_full_at BIGINT"]),
    ]

    /// How long migrating may take, a wait for another node's migration included.
    static let migrationSeconds: Double = 120

    /// Applies pending migrations in one transaction under an advisory lock.
    ///
    /// - Throws: `StoreError.unsupportedSchema` if the database has a version this Vouch does not know.
    public func migrate() async throws {
        let logger = logger
        // DDL, and a wait for another node's migration: longer than a request's bound.
        try await transaction("migrate", timeout: Self.migrationSeconds) { connection in
            // The session's bounds are a request's (4 s a statement or lock wait, 10 s idle in a transaction),
            // too short here: another node's migration is waited for, an index on a large table takes its
            // time, and a node stalled for 10 s between two statements had its session ended by the server,
            // after which postgres-nio's next query waited for the whole 120 s (whole-suite test runs on two
            // cores saw both). For this transaction they follow its own bound.
            let seconds = "\(Int(Self.migrationSeconds))s", idle = "\(Int(Self.migrationSeconds) + 10)s"
            try await connection.query("""
                SELECT set_config('statement_timeout', \(seconds), true), set_config('lock_timeout', \(seconds), true),
                       set_config('idle_in_transaction_session_timeout', \(idle), true)
                """, logger: logger)
            try await connection.query("SELECT pg_advisory_xact_lock(7406013)", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            var applied: Set<String> = []
            for try await version in try await connection.query("SELECT version FROM schema_migrations",
                                                                 logger: logger).decode(String.self) {
                applied.insert(version)
            }
            let known = Set(Self.migrations.map(\.version))
            if let unknown = applied.subtracting(known).sorted().first {
                throw StoreError(code: .unsupportedSchema,
                                 reason: "the database has migration \(unknown) this version of Vouch does not know; upgrade Vouch")
            }
            for migration in Self.migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version) VALUES (\(migration.version))", logger: logger)
            }
        }
    }

    /// The versions recorded in the database, in order.
    public func appliedMigrations() async throws -> [String] {
        let logger = logger
        return try await withConnection("read migrations") { connection in
            var versions: [String] = []
            for try await version in try await connection.query(
                "SELECT version FROM schema_migrations ORDER BY version", logger: logger).decode(String.self) {
                versions.append(version)
            }
            return versions
        }
    }

    private static let v1Schema = [
        """
        CREATE FUNCTION vouch_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$
        """,
        """
        CREATE TABLE log_entries (
            idx BIGINT PRIMARY KEY CHECK (idx >= 0),
            entry BYTEA NOT NULL,
            leaf_hash BYTEA NOT NULL CHECK (length(leaf_hash) = 32),
            created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())
        """,
        "CREATE TRIGGER log_entries_append_only BEFORE UPDATE OR DELETE ON log_entries FOR EACH ROW EXECUTE FUNCTION vouch_append_only()",
        "CREATE TABLE log_head (id SMALLINT PRIMARY KEY CHECK (id = 1), next_index BIGINT NOT NULL CHECK (next_index >= 0))",
        "INSERT INTO log_head (id, next_index) VALUES (1, 0)",
        """
        CREATE TABLE log_state (id SMALLINT PRIMARY KEY CHECK (id = 1), size BIGINT NOT NULL CHECK (size >= 0),
            root BYTEA NOT NULL CHECK (length(root) = 32))
        """,
        "INSERT INTO log_state (id, size, root) VALUES (1, 0, sha256(''::bytea))",
        """
        CREATE TABLE integrator_lease (id SMALLINT PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL)
        """,
        "INSERT INTO integrator_lease (id, holder, expires_at) VALUES (1, '', '-infinity')",
        """
        CREATE TABLE log_tiles (
            level INTEGER NOT NULL CHECK (level >= 0),
            idx BIGINT NOT NULL CHECK (idx >= 0),
            hashes BYTEA NOT NULL CHECK (length(hashes) % 32 = 0 AND length(hashes) > 0),
            PRIMARY KEY (level, idx))
        """,
        """
        CREATE TABLE checkpoints (
            size BIGINT PRIMARY KEY CHECK (size > 0),
            note TEXT NOT NULL,
            created_at BIGINT NOT NULL)
        """,
        "CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints FOR EACH ROW EXECUTE FUNCTION vouch_append_only()",
        """
        CREATE TABLE attestations (
            id TEXT PRIMARY KEY CHECK (length(id) = 32),
            kid BYTEA NOT NULL CHECK (length(kid) > 0),
            vct TEXT NOT NULL,
            token_hash BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),
            issued_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            status_list BIGINT,
            status_idx BIGINT,
            subject BYTEA CHECK (subject IS NULL OR length(subject) = 32),
            state TEXT NOT NULL DEFAULT 'valid' CHECK (state IN ('valid', 'revoked', 'suspended')),
            log_index BIGINT UNIQUE REFERENCES log_entries (idx) DEFERRABLE INITIALLY DEFERRED,
            CHECK ((status_list IS NULL) = (status_idx IS NULL)))
        """,
        "CREATE UNIQUE INDEX attestations_status_slot ON attestations (status_list, status_idx) WHERE status_list IS NOT NULL",
        "CREATE INDEX attestations_subject ON attestations (subject) WHERE subject IS NOT NULL",
        "CREATE INDEX attestations_expires_at ON attestations (expires_at)",
        """
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            name TEXT,
            key_hash BYTEA NOT NULL UNIQUE CHECK (length(key_hash) = 32),
            scopes TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT)
        """,
        """
        CREATE TABLE status_lists (
            id BIGINT PRIMARY KEY CHECK (id >= 0),
            size BIGINT NOT NULL CHECK (size > 0),
            uri TEXT NOT NULL UNIQUE CHECK (length(uri) > 0),
            created_at BIGINT NOT NULL)
        """,
        "CREATE TRIGGER status_lists_immutable BEFORE UPDATE OR DELETE ON status_lists FOR EACH ROW EXECUTE FUNCTION vouch_append_only()",
        """
        CREATE TABLE status_slots (
            list BIGINT NOT NULL REFERENCES status_lists (id),
            idx BIGINT NOT NULL CHECK (idx >= 0),
            claimed_at BIGINT NOT NULL,
            PRIMARY KEY (list, idx))
        """,
        "CREATE TRIGGER status_slots_append_only BEFORE UPDATE OR DELETE ON status_slots FOR EACH ROW EXECUTE FUNCTION vouch_append_only()",
        // A status list's version moves with every change of its contents; its signed token is stored with the
        // version it shows, so all nodes serve one token per change.
        "CREATE TABLE status_list_versions (list_id BIGINT PRIMARY KEY CHECK (list_id >= 0), version BIGINT NOT NULL)",
        """
        CREATE TABLE status_list_tokens (
            list_id BIGINT PRIMARY KEY REFERENCES status_lists (id),
            version BIGINT NOT NULL,
            token BYTEA NOT NULL,
            issued_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE receipt_keys (
            key_hash BYTEA PRIMARY KEY CHECK (length(key_hash) = 32),
            log_index BIGINT UNIQUE REFERENCES log_entries (idx) DEFERRABLE INITIALLY DEFERRED)
        """,
        """
        CREATE TABLE offers (
            id TEXT PRIMARY KEY CHECK (length(id) = 16),
            secret_hash BYTEA NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
            kind TEXT NOT NULL CHECK (kind IN ('age', 'concession')),
            claims TEXT NOT NULL CHECK (length(claims) > 0),
            valid_until TEXT,
            batch_size INTEGER NOT NULL CHECK (batch_size > 0),
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            redeemed_at BIGINT,
            CHECK ((kind = 'concession') = (valid_until IS NOT NULL)))
        """,
        """
        CREATE TABLE wallets (
            id TEXT PRIMARY KEY CHECK (length(id) = 32),
            public_key BYTEA NOT NULL CHECK (length(public_key) = 65),
            key_hash BYTEA NOT NULL UNIQUE CHECK (length(key_hash) = 32),
            offer_id TEXT NOT NULL UNIQUE REFERENCES offers (id),
            kind TEXT NOT NULL CHECK (kind IN ('age', 'concession')),
            claims TEXT NOT NULL,
            valid_until TEXT,
            created_at BIGINT NOT NULL,
            issued_count INTEGER NOT NULL DEFAULT 0 CHECK (issued_count >= 0),
            refresh_count INTEGER NOT NULL DEFAULT 0 CHECK (refresh_count >= 0),
            last_refresh_at BIGINT,
            revoked_at BIGINT)
        """,
        """
        CREATE TABLE wallet_codes (
            attestation_id TEXT PRIMARY KEY REFERENCES attestations (id),
            wallet_id TEXT NOT NULL REFERENCES wallets (id),
            holder_key_hash BYTEA NOT NULL UNIQUE CHECK (length(holder_key_hash) = 32))
        """,
        "CREATE INDEX wallet_codes_wallet ON wallet_codes (wallet_id)",
        """
        CREATE TABLE wallet_nonces (
            wallet_id TEXT NOT NULL REFERENCES wallets (id),
            nonce_hash BYTEA NOT NULL CHECK (length(nonce_hash) = 32),
            time BIGINT NOT NULL,
            PRIMARY KEY (wallet_id, nonce_hash))
        """,
    ]
}
