import Foundation
public import Hummingbird
public import Logging
import Prometheus
import VouchCrypto
import VouchHTTP
import VouchVerifier

/// The long-lived parts of a terminal process (`vouch serve --role terminal`):
/// no issuer keys, no database; a ``Terminal`` and the sync that feeds it.
public struct TerminalServices: Sendable {
    public let terminalConfiguration: TerminalConfiguration
    public let terminal: Terminal
    public let sync: TrustSync
    /// Staff accounts, the register and the admin key, in `DATA/terminal/`.
    public let desk: TerminalDesk

    /// Opens the terminal's data directory and the roots its upstream must chain to.
    ///
    /// - Throws: ``ConfigurationError`` when no upstream root can be found;
    ///   `CryptoError` for an unreadable root file.
    public static func start(_ terminalConfiguration: TerminalConfiguration,
                             client: any UpstreamFetching = URLSessionUpstream(),
                             logger: Logger) throws -> TerminalServices {
        let configuration = terminalConfiguration
        let roots = try upstreamRoots(terminalConfiguration)
        guard !roots.isEmpty else {
            throw ConfigurationError(
                variable: "VOUCH_UPSTREAM_ROOT",
                message: "no upstream root: pass --upstream-root PEM (the issuer's root certificate) or put it in "
                    + "\(configuration.certsDirectory.path)/roots")
        }
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        let terminal = try Terminal(dataDirectory: configuration.dataDirectory, upstreamRoots: roots, logger: logger)
        let sync = TrustSync(terminal: terminal, upstream: terminalConfiguration.upstream, client: client, logger: logger)
        logger.info("terminal ready", metadata: [
            "vouch.upstream": "\(terminalConfiguration.upstream.absoluteString)", "vouch.upstream_roots": "\(roots.count)",
            "vouch.bundle_iat": "\(terminal.bundle?.issuedAt ?? 0)",
        ])
        let desk = try TerminalDesk(dataDirectory: configuration.dataDirectory, timeZone: configuration.timeZone)
        return TerminalServices(terminalConfiguration: terminalConfiguration, terminal: terminal, sync: sync, desk: desk)
    }

    /// `--upstream-root` files, else the roots of the certs and data directories.
    static func upstreamRoots(_ terminal: TerminalConfiguration) throws -> [Certificate] {
        let configuration = terminal
        guard terminal.upstreamRootPaths.isEmpty else {
            return try terminal.upstreamRootPaths.flatMap { try Certificate.load(fromFile: $0) }
        }
        let sources = TrustStore.Sources.standard(certs: configuration.certsDirectory,
                                                  dataDirectory: configuration.dataDirectory)
        return try TrustStore(sources: sources).snapshot.roots
    }
}

/// The routes of a terminal process, without a server: what in-process tests drive.
public func buildTerminalRouter(terminal: TerminalServices) -> Router<TerminalRequestContext> {
    VouchMetrics.bootstrap()
    let router = Router(context: TerminalRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MetricsMiddleware())
    TerminalController(checkout: terminal.terminal, maximumBodySize: terminal.terminalConfiguration.maximumBodySize,
                       desk: terminal.desk, upstream: terminal.terminalConfiguration.upstream)
        .addTerminalRoutes(to: router)
    router.get("/metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: VouchMetrics.registry.emitToBuffer())))
    }
    router.addMethodNotAllowed()  // after the last route
    return router
}

/// A terminal process: the routes above and the scheduled sync as a service.
public func buildApplication(terminal: TerminalServices, logger: Logger) -> some ApplicationProtocol {
    let configuration = terminal.terminalConfiguration
    var application = configuration.http.application
    application.address = .hostname(configuration.host, port: configuration.port)
    application.serverName = configuration.serverName
    return Application(
        router: buildTerminalRouter(terminal: terminal),
        server: configuration.http.server,
        configuration: application,
        services: [TrustSyncService(sync: terminal.sync, interval: terminal.terminalConfiguration.syncInterval)],
        logger: logger
    )
}
