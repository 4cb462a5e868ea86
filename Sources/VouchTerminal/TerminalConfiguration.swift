public import Foundation
public import VouchHTTP

/// What one `vouch serve` process is.
public enum ServerRole: String, Sendable, CaseIterable {
    /// Issues, logs and publishes trust (the default); no checkout page.
    case issuer
    /// A store's checkout terminal: no keys, no database; syncs from an upstream and verifies locally.
    case terminal
    /// An issuer that also serves the checkout page, verifying with its own trust store (a one-box demo).
    case all
    /// A C2SP tlog-witness: cosigns the checkpoints of the logs it follows (`VOUCH_WITNESS_LOGS`).
    case witness
}

/// The terminal role's settings, read by ``init(settings:)`` from
/// `VOUCH_UPSTREAM` (base URL of the issuer), `VOUCH_UPSTREAM_ROOT` (PEM
/// file of the root(s) the trust bundle's signer must chain to; default: the
/// roots in the certs directory and the data directory) and
/// `VOUCH_SYNC_INTERVAL` (seconds, default 300). The listen address, data
/// and certs directories and body limit are the server's (`VOUCH_LISTEN`,
/// `VOUCH_DATA_DIR`, `VOUCH_CERTS_DIR`), set by the caller.
public struct TerminalConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = URL(fileURLWithPath: "data", isDirectory: true)
    /// Where the standard upstream roots are looked for when no root file is given.
    public var certsDirectory = URL(fileURLWithPath: "Certs", isDirectory: true)
    /// Largest request body accepted, in bytes.
    public var maximumBodySize = 64 * 1024
    /// The zone of the register's days (`VOUCH_TIME_ZONE`).
    public var timeZone = TimeZone(identifier: "UTC")!
    /// Hummingbird's `serverName` (the `Server` header), the server's ``Setting/serverName``.
    public var serverName = "vouch"
    /// Hummingbird's backlog and idle timeout (``HTTPServerSettings``), the server's (`http.backlog`,
    /// `http.idleTimeout`); the address and `Server` header are ``host``, ``port`` and ``serverName``.
    public var http = HTTPServerSettings()
    public var upstream: URL
    /// PEM file(s) of upstream roots; empty for the standard certs and data directories.
    public var upstreamRootPaths: [String]
    /// Seconds between syncs (jittered by ±20 %).
    public var syncInterval: TimeInterval

    public init(upstream: URL, upstreamRootPaths: [String] = [], syncInterval: TimeInterval = 300) {
        self.upstream = upstream
        self.upstreamRootPaths = upstreamRootPaths
        self.syncInterval = syncInterval
    }

    /// Reads the terminal's variables alone.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(settings: VouchSettings(environment: environment))
    }

    /// Reads ``Setting/upstream``, ``Setting/upstreamRoot`` and ``Setting/syncInterval``.
    ///
    /// - Throws: ``ConfigurationError`` naming the setting that is missing or malformed, and where it came from.
    public init(settings: VouchSettings) throws(ConfigurationError) {
        guard let text = try settings.string(.upstream), let url = URL(string: text),
              ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
        else {
            throw settings.invalid(.upstream, "a terminal needs its upstream issuer's base URL, e.g. https://issuer.example")
        }
        let interval = try settings.number(.syncInterval) ?? 300
        guard interval.isFinite, interval >= 1 else {
            throw settings.invalid(.syncInterval, "must be a number of seconds >= 1")
        }
        let roots = try settings.string(.upstreamRoot).map { [$0] } ?? []
        self.init(upstream: url, upstreamRootPaths: roots, syncInterval: interval)
    }
}

extension ServerRole {
    /// Reads `VOUCH_ROLE` alone (default `issuer`).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(settings: VouchSettings(environment: environment))
    }

    /// Reads ``Setting/role`` (default `issuer`).
    ///
    /// - Throws: ``ConfigurationError`` for an unknown role.
    public init(settings: VouchSettings) throws(ConfigurationError) {
        guard let role = ServerRole(rawValue: try settings.string(.role) ?? "issuer") else {
            throw settings.invalid(.role, "must be issuer, terminal, all or witness")
        }
        self = role
    }
}
