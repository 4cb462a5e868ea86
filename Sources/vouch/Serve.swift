import ArgumentParser
import Foundation
import Hummingbird
import Logging
import VouchServer

/// `vouch serve`: the HTTP service.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP service (default 127.0.0.1:8080; configuration from VOUCH_* variables).",
        discussion: """
            Creates development keys in the data directory on first start. SIGTERM or SIGINT drains \
            in-flight requests (no request is lost mid-commit) and stops. Environment: VOUCH_LISTEN, \
            VOUCH_DATA_DIR, VOUCH_CERTS_DIR, VOUCH_POLICIES_DIR, VOUCH_ISSUER, VOUCH_PUBLIC_URL, \
            VOUCH_TIME_ZONE, VOUCH_RATE_LIMIT, VOUCH_ISSUER_CERT, VOUCH_ISSUER_KEY, LOG_LEVEL.

            --role terminal runs a store's checkout terminal instead: no keys, no database; it syncs the \
            signed trust bundle and status lists from --upstream, verifies scans locally (page at \
            /terminal) and keeps working from its last good data when the upstream is down. \
            --role all serves the issuer API and the checkout page from one process. Environment: \
            VOUCH_ROLE, VOUCH_UPSTREAM, VOUCH_UPSTREAM_ROOT, VOUCH_SYNC_INTERVAL.
            """
    )

    @Option(help: "Listen address HOST:PORT (overrides VOUCH_LISTEN).") var listen: String?
    @OptionGroup var data: DataDirectoryOptions
    @Option(help: "issuer (default), terminal, or all (issuer + checkout page) (overrides VOUCH_ROLE).")
    var role: String?
    @Option(help: "Terminal: the upstream issuer's base URL (overrides VOUCH_UPSTREAM).") var upstream: String?
    @Option(help: "Terminal: PEM root the trust bundle's signer must chain to (default: roots in Certs/ and the data directory).")
    var upstreamRoot: String?
    @Option(help: "Terminal: seconds between syncs, jittered (default 300).") var syncInterval: Double?

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let listen { environment["VOUCH_LISTEN"] = listen }
        if let dir = data.dataDirectory { environment["VOUCH_DATA_DIR"] = dir }
        if let role { environment["VOUCH_ROLE"] = role }
        if let upstream { environment["VOUCH_UPSTREAM"] = upstream }
        if let upstreamRoot { environment["VOUCH_UPSTREAM_ROOT"] = upstreamRoot }
        if let syncInterval { environment["VOUCH_SYNC_INTERVAL"] = String(syncInterval) }
        let configuration: ServerConfiguration
        let serverRole: ServerRole
        do {
            configuration = try ServerConfiguration(environment: environment)
            serverRole = try ServerRole(environment: environment)
        } catch {
            throw CLIError.input("configuration: \(error)")
        }
        var logger = Logger(label: "vouch")
        logger.logLevel = environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        if serverRole == .terminal { return try await runTerminal(configuration, environment: environment, logger: logger) }
        let services = try await VouchServices.start(configuration, logger: logger)
        let app = buildApplication(services: services, role: serverRole, logger: logger)
        logger.info("listening", metadata: ["vouch.listen": "\(configuration.host):\(configuration.port)",
                                            "vouch.role": "\(serverRole.rawValue)"])
        try await app.runService()
    }
}
