public import Foundation
public import Logging

/// The store a node runs on: the embedded SQLite file, or a PostgreSQL database shared by several nodes.
///
/// The public store types (``IssuanceWriter``, ``AuditLogReader``,
/// ``APIKeyStore``) take a `Store` and behave the same on both; what differs
/// is where the log's tiles and checkpoints are written: in the issuing
/// transaction on SQLite, by the elected ``PostgresIntegrator`` on PostgreSQL.
public enum Store: Sendable {
    case sqlite(VouchDatabase)
    case postgres(PostgresDatabase)

    /// Opens the store a node is configured for: PostgreSQL when `databaseURL` is a `postgres://` URL, else
    /// `dataDirectory/vouch.sqlite`.
    ///
    /// - Throws: `StoreError.invalidInput` (a malformed `database_url`), `.database` (cannot connect or
    ///   migrate; the reason names `database_url`), `.unsupportedSchema`.
    public static func open(databaseURL: String?, dataDirectory: URL, timeouts: PostgresTimeouts = PostgresTimeouts(),
                            logger: Logger = Logger(label: "vouch.store")) async throws -> Store {
        guard let databaseURL, !databaseURL.isEmpty else {
            return .sqlite(try VouchDatabase(dataDirectory: dataDirectory))
        }
        let url = try PostgresURL(databaseURL)
        return .postgres(try await PostgresDatabase.open(url, timeouts: timeouts, logger: logger))
    }

    /// Checks that the store answers a trivial read, for `/readyz`.
    public func checkReadiness() async throws {
        switch self {
        case .sqlite(let database): try await database.checkReadiness()
        case .postgres(let database): try await database.checkReadiness()
        }
    }

    /// `sqlite` or `postgres`, for log lines and metrics.
    public var kind: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// Whether tiles and checkpoints are written by an integrator apart from the issuing transaction.
    public var integratesSeparately: Bool {
        if case .postgres = self { return true }
        return false
    }
}
