public import Foundation

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

/// The terminal role's settings, read by ``init(environment:)`` from
/// `VOUCH_UPSTREAM` (base URL of the issuer), `VOUCH_UPSTREAM_ROOT` (PEM
/// file of the root(s) the trust bundle's signer must chain to; default: the
/// roots in the certs directory and the data directory) and
/// `VOUCH_SYNC_INTERVAL` (seconds, default 300).
public struct TerminalConfiguration: Sendable {
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

    /// - Throws: ``ConfigurationError`` naming the variable that is missing or malformed.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let text = environment["VOUCH_UPSTREAM"], let url = URL(string: text),
              ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
        else {
            throw ConfigurationError(variable: "VOUCH_UPSTREAM",
                                     message: "a terminal needs its upstream issuer's base URL, e.g. https://issuer.example")
        }
        var interval: TimeInterval = 300
        if let value = environment["VOUCH_SYNC_INTERVAL"] {
            guard let seconds = Double(value), seconds.isFinite, seconds >= 1 else {
                throw ConfigurationError(variable: "VOUCH_SYNC_INTERVAL", message: "must be a number of seconds >= 1")
            }
            interval = seconds
        }
        let roots = environment["VOUCH_UPSTREAM_ROOT"].map { [$0] } ?? []
        self.init(upstream: url, upstreamRootPaths: roots, syncInterval: interval)
    }
}

extension ServerRole {
    /// Reads `VOUCH_ROLE` (default `issuer`).
    ///
    /// - Throws: ``ConfigurationError`` for an unknown role.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let role = ServerRole(rawValue: environment["VOUCH_ROLE"] ?? "issuer") else {
            throw ConfigurationError(variable: "VOUCH_ROLE", message: "must be issuer, terminal, all or witness")
        }
        self = role
    }
}
