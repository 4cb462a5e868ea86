public import Foundation
import Configuration
import Hummingbird
public import VouchHTTP

/// Everything `vouch serve` needs, with defaults that work on a laptop.
///
/// Read through ``VouchSettings`` by ``init(settings:)`` (options, then
/// variables, then the configuration file; keys in `Setting+catalog.swift`):
/// `VOUCH_LISTEN` (`127.0.0.1:8080`), `VOUCH_DATA_DIR` (`./data`),
/// `VOUCH_CERTS_DIR` (`./Certs`), `VOUCH_POLICIES_DIR` (`./Policies`),
/// `VOUCH_ISSUER` (the `iss` claim), `VOUCH_PUBLIC_URL` (base of status list
/// URIs), `VOUCH_TIME_ZONE` (`UTC`), `VOUCH_LOG_ORIGIN`,
/// `VOUCH_RATE_LIMIT` (requests per second per API key, `50`),
/// `VOUCH_API_KEY_CACHE_SECONDS` (how long an authenticated key is trusted
/// without a new database read, `2`; `0` reads every time),
/// `VOUCH_ISSUER_CERT` / `VOUCH_ISSUER_KEY` (production issuer PEM files),
/// `VOUCH_STATUS_LIST_SIZE` / `VOUCH_STATUS_TTL` / `VOUCH_STATUS_VALIDITY`
/// (``StatusListConfiguration``).
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var dataDirectory: URL
    public var certsDirectory: URL
    public var policiesDirectory: URL
    /// The `iss` claim written into attestations.
    public var issuer: String
    /// Base URL clients reach this service at (status list URIs are built from it).
    public var publicURL: String
    public var timeZone: TimeZone
    /// The origin line of audit-log checkpoints.
    public var logOrigin: String
    /// Sustained requests per second allowed per API key; bursts up to twice that.
    public var rateLimit: Double
    /// Seconds an authenticated API key is remembered (``APIKeyCache``); a revoked key stops working within this.
    public var apiKeyCacheSeconds: Double = 2
    /// Largest request body accepted, in bytes.
    public var maximumBodySize: Int
    public var issuerCertificatePath: String?
    public var issuerKeyPath: String?
    /// Status list size, `ttl` and validity (`VOUCH_STATUS_*`).
    public var statusLists = StatusListConfiguration()
    /// Hummingbird's `serverName` (the `Server` header), ``Setting/serverName``.
    public var serverName = "vouch"
    /// Hummingbird's own configuration (address from `listen`, `Server` header, backlog, idle timeout), read
    /// by Hummingbird from the same reader: ``HTTPServerSettings``.
    public var http: HTTPServerSettings
    /// The witnesses checkpoints are pushed to (`VOUCH_WITNESSES`), if any.
    public var witnesses: WitnessConfiguration?
    /// Offers, batch sizes and wallet refresh (`VOUCH_OFFER_SECONDS`, `VOUCH_WALLET_*`).
    public var wallet = WalletConfiguration()
    /// `database_url`: a PostgreSQL store shared by several nodes; nil is SQLite in ``dataDirectory``.
    public var databaseURL: String?
    /// Pool, time bounds, integrator lease and node id on PostgreSQL (`database_pool_size`, ...): ``PostgresConfiguration``.
    public var postgres = PostgresConfiguration()

    public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: URL = URL(fileURLWithPath: "data"),
                certsDirectory: URL = URL(fileURLWithPath: "Certs"),
                policiesDirectory: URL = URL(fileURLWithPath: "Policies"), issuer: String? = nil,
                publicURL: String? = nil, timeZone: TimeZone = TimeZone(identifier: "UTC")!, logOrigin: String? = nil,
                rateLimit: Double = 50, maximumBodySize: Int = 64 * 1024, issuerCertificatePath: String? = nil,
                issuerKeyPath: String? = nil) {
        self.host = host
        self.port = port
        self.http = HTTPServerSettings(host: host, port: port)
        self.dataDirectory = dataDirectory
        self.certsDirectory = certsDirectory
        self.policiesDirectory = policiesDirectory
        let base = publicURL ?? "http://\(host):\(port)"
        self.publicURL = base
        self.issuer = issuer ?? base
        self.timeZone = timeZone
        self.logOrigin = logOrigin ?? "vouch.localhost/log"
        self.rateLimit = rateLimit
        self.maximumBodySize = maximumBodySize
        self.issuerCertificatePath = issuerCertificatePath
        self.issuerKeyPath = issuerKeyPath
    }

    /// Reads the settings from the environment alone (tests, and commands without a file).
    ///
    /// - Throws: ``ConfigurationError`` naming the variable that is malformed.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(settings: VouchSettings(environment: environment))
    }

    /// Reads the merged settings (``Setting/listen`` and the others of `Setting+catalog.swift`).
    ///
    /// - Throws: ``ConfigurationError`` naming the option, variable or file and key of a bad value.
    public init(settings: VouchSettings) throws(ConfigurationError) {
        var host = "127.0.0.1", port = 8080
        if let listen = try settings.string(.listen) {
            guard let colon = listen.lastIndex(of: ":"), let p = Int(listen[listen.index(after: colon)...]),
                  (1...65535).contains(p), colon != listen.startIndex
            else { throw settings.invalid(.listen, "must be HOST:PORT, e.g. 127.0.0.1:8080") }
            host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            port = p
        }
        var zone = TimeZone(identifier: "UTC")!
        if let name = try settings.string(.timeZone) {
            guard let z = TimeZone(identifier: name) else { throw settings.invalid(.timeZone, "unknown time zone") }
            zone = z
        }
        let rate = try settings.number(.rateLimit) ?? 50
        guard rate.isFinite, rate > 0 else { throw settings.invalid(.rateLimit, "must be a positive number") }
        let keyCache = try settings.number(.apiKeyCacheSeconds) ?? 2
        guard keyCache.isFinite, (0...60).contains(keyCache) else {
            throw settings.invalid(.apiKeyCacheSeconds, "must be 0 to 60 seconds")
        }
        func url(_ setting: Setting, _ fallback: String) throws(ConfigurationError) -> URL {
            URL(fileURLWithPath: try settings.string(setting) ?? fallback, isDirectory: true).standardizedFileURL
        }
        self.init(host: host, port: port, dataDirectory: try url(.dataDir, "data"),
                  certsDirectory: try url(.certsDir, "Certs"), policiesDirectory: try url(.policiesDir, "Policies"),
                  issuer: try settings.string(.issuer), publicURL: try settings.string(.publicURL), timeZone: zone,
                  logOrigin: try settings.string(.logOrigin), rateLimit: rate,
                  issuerCertificatePath: try settings.string(.issuerCert),
                  issuerKeyPath: try settings.string(.issuerKey))
        self.statusLists = try StatusListConfiguration(settings: settings)
        self.wallet = try WalletConfiguration(settings: settings)
        self.apiKeyCacheSeconds = keyCache
        // Hummingbird reads its own keys (`http.serverName`, `http.idleTimeout`) from the same reader; the address is
        // `listen`'s.
        self.http = try HTTPServerSettings(settings: settings, host: host, port: port)
        self.serverName = http.serverName
        self.witnesses = try WitnessConfiguration.read(settings: settings)
        self.databaseURL = try settings.string(.databaseURL).flatMap { $0.isEmpty ? nil : $0 }
        self.postgres = try PostgresConfiguration(settings: settings)
    }
}
