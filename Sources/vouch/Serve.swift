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
            """
    )

    @Option(help: "Listen address HOST:PORT (overrides VOUCH_LISTEN).") var listen: String?
    @OptionGroup var data: DataDirectoryOptions

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let listen { environment["VOUCH_LISTEN"] = listen }
        if let dir = data.dataDirectory { environment["VOUCH_DATA_DIR"] = dir }
        let configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration(environment: environment)
        } catch {
            throw CLIError.input("configuration: \(error)")
        }
        var logger = Logger(label: "vouch")
        logger.logLevel = environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        let services = try await VouchServices.start(configuration, logger: logger)
        let app = buildApplication(services: services, logger: logger)
        logger.info("listening", metadata: ["vouch.listen": "\(configuration.host):\(configuration.port)"])
        try await app.runService()
    }
}
