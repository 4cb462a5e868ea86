import ArgumentParser
import Foundation
import Hummingbird
import Logging
import VouchHTTP
import VouchServer
import VouchTerminal

/// `vouch serve`: the HTTP service.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP service (default 127.0.0.1:8080; configuration from options, VOUCH_* variables or a JSON file).",
        discussion: """
            Creates development keys in the data directory on first start. SIGTERM or SIGINT drains \
            in-flight requests (no request is lost mid-commit) and stops. Environment: VOUCH_LISTEN, \
            VOUCH_DATA_DIR, VOUCH_CERTS_DIR, VOUCH_POLICIES_DIR, VOUCH_ISSUER, VOUCH_PUBLIC_URL, \
            VOUCH_TIME_ZONE, VOUCH_RATE_LIMIT, VOUCH_API_KEY_CACHE_SECONDS, VOUCH_ISSUER_CERT, VOUCH_ISSUER_KEY, \
            VOUCH_STATUS_LIST_SIZE, VOUCH_STATUS_TTL, VOUCH_STATUS_VALIDITY, LOG_LEVEL.

            --config FILE (or VOUCH_CONFIG) reads the same settings from a JSON object whose keys are the \
            variables' names in lower case without VOUCH_ ({"listen": "127.0.0.1:8080", "data_dir": "data", \
            "rate_limit": 50, "log_level": "info"}). Relative paths in the file are relative to the file. \
            Variables override the file; options override both. `vouch config show` prints the merged \
            settings (secrets redacted); `vouch config check FILE` validates a file.

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

    @Option(help: "Configuration file (JSON; default: $VOUCH_CONFIG). Variables and options override it.")
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
        // What the options set: the first source of the one ConfigReader, over the environment and the file.
        let options: [Setting: String] = [.listen: listen, .dataDir: data.dataDirectory, .role: role,
                                          .upstream: upstream, .upstreamRoot: upstreamRoot,
                                          .syncInterval: syncInterval.map { String($0) }].compactMapValues { $0 }
        let settings = if let config { try await Settings.load(arguments: options, file: config) }
            else { Settings.current.overriding(options) }
        let configuration: ServerConfiguration
        let serverRole: ServerRole
        let level: Logger.Level
        do {
            configuration = try ServerConfiguration(settings: settings)
            serverRole = try ServerRole(settings: settings)
            level = try Self.logLevel(settings)
            if serverRole == .terminal { _ = try TerminalConfiguration(settings: settings) }
        } catch {
            // The error names the option, the variable, or the file and key that set the bad value.
            throw CLIError.input("configuration: \(error)")
        }
        var logger = Logger(label: "vouch")
        logger.logLevel = level
        if serverRole == .terminal { return try await runTerminal(configuration, settings: settings, logger: logger) }
        if serverRole == .witness { return try await runWitness(configuration, settings: settings, logger: logger) }
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

    /// `LOG_LEVEL` (``Setting/logLevel``): trace, debug, info (default), notice, warning, error or critical.
    static func logLevel(_ settings: VouchSettings) throws(ConfigurationError) -> Logger.Level {
        guard let text = try settings.string(.logLevel) else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw settings.invalid(.logLevel, "must be one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return level
    }
}
