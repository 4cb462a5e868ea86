public import Hummingbird
public import Logging
import Prometheus
import VouchHTTP
import VouchStore
public import VouchTerminal

/// Builds the HTTP application around running services.
///
/// The CLI (`vouch serve`) and the tests both call this. With `role` `.all`
/// it also serves the checkout page, verifying with its own trust store.
public func buildApplication(services: VouchServices, role: ServerRole = .issuer,
                             logger: Logger) -> some ApplicationProtocol {
    VouchMetrics.bootstrap()
    let router = buildRouter(services: services, role: role)
    let configuration = services.configuration
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                             serverName: configuration.serverName),
        services: (services.witnesses.map { [$0] } ?? []) + (services.integrator.map { [IntegratorService(integrator: $0)] } ?? []),
        logger: logger
    )
}

/// The routes and middleware, without a server: what in-process tests drive.
public func buildRouter(services: VouchServices, role: ServerRole = .issuer) -> Router<VouchRequestContext> {
    VouchMetrics.bootstrap()
    let router = Router(context: VouchRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: StoreUnavailableMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: AuthenticationMiddleware(keys: services.apiKeyCache))

    PublicController(services: services).addRoutes(to: router)
    StatusListController(services: services).addRoutes(to: router)
    if role == .all {
        TerminalController(checkout: LocalCheckout(services: services),
                           maximumBodySize: services.configuration.maximumBodySize).addPageRoutes(to: router)
    }
    router.get("/metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: VouchMetrics.registry.emitToBuffer())))
    }
    router.get("/openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml"],
                 body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
    }

    let issue = router.group().add(middleware: RequireScopeMiddleware(scope: .issue, limiter: services.limiter))
    let revoke = router.group().add(middleware: RequireScopeMiddleware(scope: .revoke, limiter: services.limiter))
    AttestationController(services: services).addRoutes(issue: issue, revoke: revoke)
    QRController(services: services).addRoutes(to: issue)
    OfferController(services: services).addRoutes(issue: issue, revoke: revoke)
    WalletController(services: services).addRoutes(to: router)
    WalletPageController().addRoutes(to: router)
    let audit = router.group().add(middleware: RequireScopeMiddleware(scope: .audit, limiter: services.limiter))
    LogController(services: services).addRoutes(public: router, audit: audit)
    router.get("/v1/log/checkpoint/cosigned", use: CosignedCheckpoint(services: services).respond)
    router.addMethodNotAllowed()  // after the last route: a known path with another method is 405 with Allow
    return router
}
