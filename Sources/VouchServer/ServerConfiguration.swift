public import Foundation

/// Everything `vouch serve` needs, with defaults that work on a laptop.
///
/// Read from the environment by ``init(environment:)``:
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
    /// Offers, batch sizes and wallet refresh (`VOUCH_OFFER_SECONDS`, `VOUCH_WALLET_*`).
    public var wallet = WalletConfiguration()

    public init(host: String = "127.0.0.1", port: Int = 8080, dataDirectory: URL = URL(fileURLWithPath: "data"),
                certsDirectory: URL = URL(fileURLWithPath: "Certs"),
                policiesDirectory: URL = URL(fileURLWithPath: "Policies"), issuer: String? = nil,
                publicURL: String? = nil, timeZone: TimeZone = TimeZone(identifier: "UTC")!, logOrigin: String? = nil,
                rateLimit: Double = 50, maximumBodySize: Int = 64 * 1024, issuerCertificatePath: String? = nil,
                issuerKeyPath: String? = nil) {
        self.host = host
        self.port = port
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

    /// Reads the `VOUCH_*` variables.
    ///
    /// - Throws: ``ConfigurationError`` naming the variable that is malformed.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var host = "127.0.0.1", port = 8080
        if let listen = environment["VOUCH_LISTEN"] {
            guard let colon = listen.lastIndex(of: ":"), let p = Int(listen[listen.index(after: colon)...]),
                  (1...65535).contains(p), colon != listen.startIndex
            else { throw ConfigurationError(variable: "VOUCH_LISTEN", message: "must be HOST:PORT, e.g. 127.0.0.1:8080") }
            host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            port = p
        }
        var zone = TimeZone(identifier: "UTC")!
        if let name = environment["VOUCH_TIME_ZONE"] {
            guard let z = TimeZone(identifier: name) else {
                throw ConfigurationError(variable: "VOUCH_TIME_ZONE", message: "unknown time zone")
            }
            zone = z
        }
        var rate = 50.0
        if let text = environment["VOUCH_RATE_LIMIT"] {
            guard let r = Double(text), r.isFinite, r > 0 else {
                throw ConfigurationError(variable: "VOUCH_RATE_LIMIT", message: "must be a positive number")
            }
            rate = r
        }
        var keyCache = 2.0
        if let text = environment["VOUCH_API_KEY_CACHE_SECONDS"] {
            guard let seconds = Double(text), seconds.isFinite, (0...60).contains(seconds) else {
                throw ConfigurationError(variable: "VOUCH_API_KEY_CACHE_SECONDS", message: "must be 0 to 60 seconds")
            }
            keyCache = seconds
        }
        func url(_ key: String, _ fallback: String) -> URL {
            URL(fileURLWithPath: environment[key] ?? fallback, isDirectory: true).standardizedFileURL
        }
        self.init(host: host, port: port, dataDirectory: url("VOUCH_DATA_DIR", "data"),
                  certsDirectory: url("VOUCH_CERTS_DIR", "Certs"), policiesDirectory: url("VOUCH_POLICIES_DIR", "Policies"),
                  issuer: environment["VOUCH_ISSUER"], publicURL: environment["VOUCH_PUBLIC_URL"], timeZone: zone,
                  logOrigin: environment["VOUCH_LOG_ORIGIN"], rateLimit: rate,
                  issuerCertificatePath: environment["VOUCH_ISSUER_CERT"], issuerKeyPath: environment["VOUCH_ISSUER_KEY"])
        self.statusLists = try StatusListConfiguration(environment: environment)
        self.wallet = try WalletConfiguration(environment: environment)
        self.apiKeyCacheSeconds = keyCache
    }
}

/// A configuration value that cannot be used.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let variable: String
    public let message: String
    public var description: String { "\(variable): \(message)" }

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }
}
