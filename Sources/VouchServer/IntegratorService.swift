import ServiceLifecycle
import VouchStore

/// Runs this node's ``PostgresIntegrator`` for as long as the server runs (PostgreSQL only).
///
/// Every node runs one; the lease decides which integrates. At graceful
/// shutdown (SIGTERM) the integrator gives its lease up, so another node takes
/// over at once instead of after the lease lapses.
struct IntegratorService: Service {
    let integrator: PostgresIntegrator

    func run() async throws {
        await withGracefulShutdownHandler {
            await cancelWhenGracefulShutdown {
                await integrator.run()
            }
        } onGracefulShutdown: {}
    }
}
