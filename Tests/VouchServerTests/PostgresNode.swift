import VouchServerTesting
import Foundation
import VouchHTTP
import VouchServer

/// A node on a PostgreSQL test database started from settings as `vouch serve` reads them (variables), so that
/// the PostgreSQL settings (pool, timeouts, lease, node id) are the ones under test.
struct PostgresNode {
    let directory: URL
    let services: VouchServices
    let logs: LogCapture

    /// - Parameters:
    ///   - settings: More `VOUCH_*` variables over the database URL and the node's directories.
    ///   - adjust: Changes below the settings' ranges (tiny status lists).
    static func start(databaseURL: String, settings: [String: String],
                      adjust: (inout ServerConfiguration) -> Void = { _ in }) async throws -> PostgresNode {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vouch-pg-node-\(UUID())")
        let certs = directory.appendingPathComponent("Certs")
        try FileManager.default.createDirectory(at: certs, withIntermediateDirectories: true)
        let environment = [
            "VOUCH_DATABASE_URL": databaseURL, "VOUCH_DATA_DIR": directory.appendingPathComponent("data").path,
            "VOUCH_CERTS_DIR": certs.path, "VOUCH_POLICIES_DIR": try StaticTestPolicies.directory(in: directory).path,
            "VOUCH_ISSUER": "https://issuer.test", "VOUCH_RATE_LIMIT": "100000",
        ].merging(settings) { $1 }
        let logs = LogCapture()
        var configuration = try ServerConfiguration(settings: VouchSettings(environment: environment))
        adjust(&configuration)
        let services = try await VouchServices.start(configuration, logger: logs.logger)
        return PostgresNode(directory: directory, services: services, logs: logs)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }
}
