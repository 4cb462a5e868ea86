public import Foundation
public import Hummingbird
public import HummingbirdTesting
public import Logging
import NIOCore
public import Synchronization
public import VouchServer
import VouchStore

/// A service on a fresh data directory, with API keys of each kind (shared by the server and terminal tests).
public struct ServerFixture: Sendable {
    public static let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    public let directory: URL
    public let services: VouchServices
    public let logs: LogCapture
    /// issue + revoke + audit.
    public let adminKey: String
    /// revoke only.
    public let revokeKey: String

    /// - Parameter databaseURL: A PostgreSQL store instead of SQLite in the fixture's data directory.
    public init(rateLimit: Double = 1000, apiKeyCacheSeconds: Double = 2, statusListSize: Int? = nil,
         wallet: WalletConfiguration? = nil, databaseURL: String? = nil) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vouch-server-\(UUID().uuidString)")
        let certs = directory.appendingPathComponent("Certs")
        try FileManager.default.createDirectory(at: certs, withIntermediateDirectories: true)
        var configuration = ServerConfiguration(
            port: 0, dataDirectory: directory.appendingPathComponent("data"), certsDirectory: certs,
            policiesDirectory: try StaticTestPolicies.directory(in: directory), issuer: "https://issuer.test",
            rateLimit: rateLimit)
        configuration.apiKeyCacheSeconds = apiKeyCacheSeconds
        if let statusListSize { configuration.statusLists.listSize = statusListSize }
        if let wallet { configuration.wallet = wallet }
        configuration.databaseURL = databaseURL
        logs = LogCapture()
        services = try await VouchServices.start(configuration, logger: logs.logger)
        adminKey = try await services.apiKeys.createKey(name: "admin", scopes: [.issue, .revoke, .audit]).secret
        revokeKey = try await services.apiKeys.createKey(name: "revoker", scopes: [.revoke]).secret
    }

    public var router: Router<VouchRequestContext> { buildRouter(services: services) }

    public func application() -> some ApplicationProtocol {
        Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logs.logger)
    }

    public func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    /// Every byte the service has written to disk.
    public func databaseBytes() throws -> Data {
        let data = directory.appendingPathComponent("data")
        var all = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: data.path) where name.hasPrefix("vouch.sqlite") {
            all.append(try Data(contentsOf: data.appendingPathComponent(name)))
        }
        return all
    }
}

/// Log lines kept in memory, to check that nothing personal is ever logged.
public final class LogCapture: Sendable {
    public init() {}

    public let lines = Mutex<[String]>([])

    public var logger: Logger {
        var logger = Logger(label: "vouch.test") { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    public var text: String { lines.withLock { $0.joined(separator: "\n") } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
            capture.lines.withLock { $0.append("\(event.level) \(event.message) \(merged)") }
        }
    }
}

extension TestClientProtocol {
    /// POSTs JSON with an optional bearer key.
    public func post(_ uri: String, json: String, key: String? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        for field in extra { headers[field.name] = field.value }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json))
    }
}

extension TestResponse {
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    public var text: String { String(buffer: body) }
}

/// Prometheus text with each sample's value cut off: names, labels and comments only. A year searched
/// for in the values would be found by chance (0.001987 s), since the whole suite shares one registry.
public func metricsWithoutValues(_ metrics: String) -> String {
    metrics.split(separator: "\n").map { line in
        line.hasPrefix("#") ? line[...] : line[..<(line.lastIndex(of: " ") ?? line.endIndex)]
    }.joined(separator: "\n")
}
