/// Every setting of `vouch serve` and the CLI, in the order `vouch config show` lists them.
///
/// To add one: a `static let` below (key, kind, `secret: true` for anything
/// that must never be printed, the default as shown, a summary) and its name
/// in ``all``. Read it with ``VouchSettings/string(_:)``,
/// ``VouchSettings/number(_:)`` or ``VouchSettings/integer(_:)``; report a
/// bad value with ``VouchSettings/invalid(_:_:)``, which names where it came from.
extension Setting {
    public static let listen = Setting("listen", .string, default: "127.0.0.1:8080", "HOST:PORT the service listens on")
    public static let dataDir = Setting("data_dir", .path, default: "data", "the SQLite store, keys, status lists")
    public static let databaseURL = Setting("database_url", .string, secret: true, default: "SQLite in data_dir",
                                            "postgres://user:pass@host:port/db or postgres:///db?host=/socket/dir: a PostgreSQL store shared by several nodes")
    public static let databasePoolSize = Setting("database_pool_size", .integer, default: "8",
                                                 "PostgreSQL: connections in this node's pool, 1 to 200")
    public static let databaseConnectTimeout = Setting("database_connect_timeout", .number, default: "3",
                                                       "PostgreSQL: seconds to open a connection, 0.1 to 60")
    public static let databaseStatementTimeout = Setting("database_statement_timeout", .number, default: "4",
                                                         "PostgreSQL: seconds a statement or lock wait may take on the server, 0.1 to 600")
    public static let databaseOperationTimeout = Setting("database_operation_timeout", .number, default: "5",
                                                         "PostgreSQL: seconds before a whole operation is abandoned (503), at least the statement timeout, up to 600")
    public static let integratorLeaseSeconds = Setting("integrator_lease_seconds", .number, default: "2",
                                                       "PostgreSQL: seconds the log integrator's lease lasts unrenewed, 0.5 to 300")
    public static let integratorInterval = Setting("integrator_interval", .number, default: "0.1",
                                                   "PostgreSQL: seconds between integration rounds, 0.01 up to half the lease")
    public static let nodeID = Setting("node_id", .string, default: "HOSTNAME-PID-XXXXXX",
                                       "PostgreSQL: this node's name as the integrator lease holder (1 to 64 of A-Z a-z 0-9 . _ : -)")
    public static let certsDir = Setting("certs_dir", .path, default: "Certs", "trust anchors (public certificates)")
    public static let policiesDir = Setting("policies_dir", .path, default: "Policies", "verification policies")
    public static let issuer = Setting("issuer", .string, default: "the public URL", "the iss claim")
    public static let publicURL = Setting("public_url", .string, default: "http://HOST:PORT",
                                          "base URL clients reach; status list URIs are built from it")
    public static let timeZone = Setting("time_zone", .string, default: "UTC", "birthdays and end-of-day expiry (IANA name)")
    public static let logOrigin = Setting("log_origin", .string, default: "vouch.localhost/log",
                                          "first line of every checkpoint")
    public static let rateLimit = Setting("rate_limit", .number, default: "50", "requests/s per API key, bursts of twice that")
    public static let apiKeyCacheSeconds = Setting("api_key_cache_seconds", .number, default: "2",
                                                   "a revoked API key stops working within this (0 to 60)")
    public static let issuerCert = Setting("issuer_cert", .path, "production issuer certificate PEM")
    public static let issuerKey = Setting("issuer_key", .path, secret: true, "production issuer private key PEM")
    public static let statusListSize = Setting("status_list_size", .integer, default: "131072", "entries per status list")
    public static let statusTTL = Setting("status_ttl", .integer, default: "300", "seconds terminals cache a list")
    public static let statusValidity = Setting("status_validity", .integer, default: "86400",
                                               "seconds a signed list is valid")
    public static let logLevel = Setting("log_level", .string, default: "info", variable: "LOG_LEVEL",
                                         "trace, debug, info, notice, warning, error, critical")
    public static let role = Setting("role", .string, default: "issuer", "issuer, terminal, all or witness")
    public static let upstream = Setting("upstream", .string, "terminal: the upstream issuer's base URL")
    public static let upstreamRoot = Setting("upstream_root", .path,
                                             "terminal: PEM root the trust bundle's signer must chain to")
    public static let syncInterval = Setting("sync_interval", .number, default: "300", "terminal: seconds between syncs")
    public static let offerSeconds = Setting("offer_seconds", .integer, default: "600",
                                             "wallet: seconds a wallet offer (redeem link) works, 30 to 86400")
    public static let walletBatchSize = Setting("wallet_batch_size", .integer, default: "20",
                                                "wallet: codes per offer when the desk names none")
    public static let walletMaxBatch = Setting("wallet_max_batch", .integer, default: "50",
                                               "wallet: most codes one redeem or refresh may ask for, 1 to 200")
    public static let walletRefreshSeconds = Setting("wallet_refresh_seconds", .integer, default: "60",
                                                     "wallet: one refresh per wallet per this (burst 2)")
    public static let witnesses = Setting("witnesses", .string,
                                          "issuer: witnesses checkpoints are pushed to, \"URL VKEY\" comma-separated")
    public static let witnessQuorum = Setting("witness_quorum", .integer, default: "all witnesses",
                                              "issuer: distinct cosignatures that make a checkpoint cosigned")
    public static let witnessTimeout = Setting("witness_timeout", .number, default: "5", "issuer: seconds per witness push")
    public static let witnessName = Setting("witness_name", .string, default: "vouch-witness",
                                            "witness: the name of its cosignature key")
    public static let witnessLogs = Setting("witness_logs", .string, "witness: note vkeys of the logs it follows, comma-separated")
    public static let serverName = Setting("http.serverName", .string, default: "vouch",
                                           "the Server header (Hummingbird's own setting)")
    public static let idleTimeout = Setting("http.idleTimeout", .number, default: "none",
                                            "seconds an idle connection stays open (Hummingbird's own setting)")
    public static let backlog = Setting("http.backlog", .integer, default: "256",
                                        "pending connections the listening socket queues, 1 to 65535")
    public static let url = Setting("url", .string, default: "http://127.0.0.1:8080",
                                    "CLI: the server `vouch revoke` and `vouch log --url` talk to")
    public static let apiKey = Setting("api_key", .string, secret: true, "CLI: the API key `vouch revoke` and `vouch log` send")

    /// Every setting; a key not here is an error in a file.
    public static let all: [Setting] = [
        listen, dataDir, databaseURL, databasePoolSize, databaseConnectTimeout, databaseStatementTimeout,
        databaseOperationTimeout, integratorLeaseSeconds, integratorInterval, nodeID, certsDir, policiesDir, issuer, publicURL, timeZone, logOrigin, rateLimit, apiKeyCacheSeconds,
        issuerCert, issuerKey, statusListSize, statusTTL, statusValidity, logLevel, role, upstream, upstreamRoot,
        syncInterval, offerSeconds, walletBatchSize, walletMaxBatch, walletRefreshSeconds, witnesses, witnessQuorum, witnessTimeout, witnessName, witnessLogs, serverName, idleTimeout, backlog, url, apiKey,
    ]

    /// The setting with this file key, if any.
    public static func named(_ key: String) -> Setting? { all.first { $0.key == key } }
}
