import ArgumentParser
import Foundation
import Hummingbird
import Logging
import VouchServer

/// `vouch serve`: the HTTP service.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP service (default 127.0.0.1:8080; configuration from VOUCH_* variables or a TOML file).",
        discussion: """
            Creates development keys in the data directory on first start. SIGTERM or SIGINT drains \
            in-flight requests (no request is lost mid-commit) and stops. Environment: VOUCH_LISTEN, \
            VOUCH_DATA_DIR, VOUCH_CERTS_DIR, VOUCH_POLICIES_DIR, VOUCH_ISSUER, VOUCH_PUBLIC_URL, \
            VOUCH_TIME_ZONE, VOUCH_RATE_LIMIT, VOUCH_API_KEY_CACHE_SECONDS, VOUCH_ISSUER_CERT, VOUCH_ISSUER_KEY, \
            VOUCH_STATUS_LIST_SIZE, VOUCH_STATUS_TTL, VOUCH_STATUS_VALIDITY, LOG_LEVEL.

            --config FILE (or VOUCH_CONFIG) reads the same settings from a file of key = value lines, the \
            variable's name in lower case without VOUCH_ (listen = "127.0.0.1:8080", data_dir = "data", \
            rate_limit = 50, log_level = "info"). Relative paths in the file are relative to the file. \
            Variables override the file; options override both.

            --role terminal runs a store's checkout terminal instead: no keys, no database; it syncs the \
            signed trust bundle and status lists from --upstream, verifies scans locally (page at \
            /terminal) and keeps working from its last good data when the upstream is down. \
            --role all serves the issuer API and the checkout page from one process. Environment: \
            VOUCH_ROLE, VOUCH_UPSTREAM, VOUCH_UPSTREAM_ROOT, VOUCH_SYNC_INTERVAL.

            --role witness runs a C2SP tlog-witness: POST /add-checkpoint cosigns (tlog-cosignature, Ed25519) \
            checkpoints of the logs named in VOUCH_WITNESS_LOGS (their vkeys) after checking consistency with \
            what it cosigned before; its key is DATA/keys/witness.key.pem (created on first start), its name \
            VOUCH_WITNESS_NAME, its vkey at GET /witness/key. A log pushes to the witnesses in VOUCH_WITNESSES \
            ("URL VKEY", comma-separated) and needs VOUCH_WITNESS_QUORUM of them for GET /v1/log/checkpoint/cosigned.
            """
    )

    @Option(help: "Configuration file (TOML key = value; default: $VOUCH_CONFIG). Variables and options override it.")
    var config: String?
    @Option(help: "Listen address HOST:PORT (overrides VOUCH_LISTEN).") var listen: String?
    @OptionGroup var data: DataDirectoryOptions
    @Option(help: "issuer (default), terminal, all (issuer + checkout page) or witness (overrides VOUCH_ROLE).")
    var role: String?
    @Option(help: "Terminal: the upstream issuer's base URL (overrides VOUCH_UPSTREAM).") var upstream: String?
    @Option(help: "Terminal: PEM root the trust bundle's signer must chain to (default: roots in Certs/ and the data directory).")
    var upstreamRoot: String?
    @Option(help: "Terminal: seconds between syncs, jittered (default 300).") var syncInterval: Double?

    func run() async throws {
        let loaded = try (config.map { Settings.load(file: $0, environment: ProcessInfo.processInfo.environment) }
            ?? Settings.loaded).get()
        // What the options set, as the variables they override.
        let options = ["VOUCH_LISTEN": listen, "VOUCH_DATA_DIR": data.dataDirectory, "VOUCH_ROLE": role,
                       "VOUCH_UPSTREAM": upstream, "VOUCH_UPSTREAM_ROOT": upstreamRoot,
                       "VOUCH_SYNC_INTERVAL": syncInterval.map { String($0) }].compactMapValues { $0 }
        let environment = loaded.environment.merging(options) { _, option in option }
        let configuration: ServerConfiguration
        let serverRole: ServerRole
        let level: Logger.Level
        do {
            configuration = try ServerConfiguration(environment: environment)
            serverRole = try ServerRole(environment: environment)
            level = try Self.logLevel(environment)
            if serverRole == .terminal { _ = try TerminalConfiguration(environment: environment) }
        } catch let error as ConfigurationError {
            // An error about a value the file set names the file, line and key; an override names its variable.
            let overridden = ProcessInfo.processInfo.environment.merging(options) { _, option in option }
            throw CLIError.input("configuration: \(loaded.file?.located(error, environment: overridden) ?? error)")
        }
        var logger = Logger(label: "vouch")
        logger.logLevel = level
        if serverRole == .terminal { return try await runTerminal(configuration, environment: environment, logger: logger) }
        if serverRole == .witness { return try await runWitness(configuration, environment: environment, logger: logger) }
        let services: VouchServices
        do {
            services = try await VouchServices.start(configuration, logger: logger)
        } catch {
            // Missing or unreadable policies, certificates, keys or store: the setup is wrong, not the service.
            throw CLIError.input("cannot start: \(error)")
        }
        let app = buildApplication(services: services, role: serverRole, logger: logger)
        logger.info("listening", metadata: ["vouch.listen": "\(configuration.host):\(configuration.port)",
                                            "vouch.role": "\(serverRole.rawValue)"])
        try await app.runService()
    }

    /// `LOG_LEVEL`: trace, debug, info (default), notice, warning, error or critical.
    static func logLevel(_ environment: [String: String]) throws -> Logger.Level {
        guard let text = environment["LOG_LEVEL"] else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ConfigurationError(variable: "LOG_LEVEL",
                                     message: "must be one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return level
    }
}
