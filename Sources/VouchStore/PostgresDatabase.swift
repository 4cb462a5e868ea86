public import Foundation
public import Logging
internal import NIOCore
internal import PostgresNIO
internal import Synchronization

/// A PostgreSQL store shared by several Vouch nodes (`database_url=postgres://...`).
///
/// Holds one connection pool (postgres-nio's `PostgresClient`, run in a task
/// of its own) and bounds every wait: opening a connection, each statement on
/// the server (`statement_timeout`, `lock_timeout`) and each whole operation
/// on the client. When the server is gone a call fails with
/// `StoreError.database` within ``PostgresTimeouts/operation`` seconds, which
/// the HTTP layer answers with 503, and the pool reconnects by itself once the
/// server is back.
public final class PostgresDatabase: Sendable {
    /// The server and database, password masked in `description`.
    public let url: PostgresURL
    public let timeouts: PostgresTimeouts
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>
    private let leased = Atomic<Int>(0)

    /// Connects (failing fast on a bad password, a missing database or an unreachable server) and migrates.
    ///
    /// - Parameters:
    ///   - migrate: Run pending migrations (under an advisory lock, so nodes starting together are safe).
    /// - Throws: `StoreError.database` naming `database_url` and what failed, `.unsupportedSchema`.
    public static func open(_ url: PostgresURL, timeouts: PostgresTimeouts = PostgresTimeouts(), migrate: Bool = true,
                            logger: Logger = Logger(label: "vouch.store.postgres")) async throws -> PostgresDatabase {
        let durability = try await probe(url, timeouts: timeouts, logger: logger)
        var parameters = timeouts.startupParameters
        if durability.synchronousCommit == "off" {
            // An answered code must be on disk: the sessions of this node commit synchronously whatever the
            // server, database or role says (a client's startup parameter overrides all three).
            parameters.append(("synchronous_commit", "on"))
            logger.notice("database_url: synchronous_commit is off for this database; this node's sessions use on")
        }
        if durability.fsync == "off" {
            logger.warning("database_url: the PostgreSQL server runs with fsync=off; an OS crash or power loss can lose answered codes")
        }
        let database = PostgresDatabase(url: url, timeouts: timeouts, parameters: parameters, logger: logger)
        if migrate {
            do {
                try await database.migrate()
            } catch {
                database.close()
                throw error
            }
        }
        return database
    }

    private init(url: PostgresURL, timeouts: PostgresTimeouts, parameters: [(String, String)], logger: Logger) {
        self.url = url
        self.timeouts = timeouts
        self.logger = logger
        let client = PostgresClient(configuration: url.clientConfiguration(timeouts: timeouts, parameters: parameters),
                                    backgroundLogger: logger)
        self.client = client
        self.runner = Task { await client.run() }
    }

    deinit {
        runner.cancel()
    }

    /// Stops the pool; calls made afterwards fail.
    public func close() {
        runner.cancel()
    }

    /// Connections leased right now (for the pool-use gauge).
    public var connectionsInUse: Int { leased.load(ordering: .relaxed) }

    /// The server's settings that decide whether a commit this node answers is on disk.
    struct Durability: Sendable {
        /// `fsync`: `on`, or `off` (a test server's setting: an OS crash can lose committed data).
        let fsync: String
        /// `synchronous_commit` as this database and role have it: `off` acknowledges a commit before its WAL
        /// is flushed, so a PostgreSQL crash can lose it.
        let synchronousCommit: String
    }

    /// One connection, opened and closed here, so that a wrong password or an unreachable host is an error at
    /// start-up rather than requests that wait for a pool that never connects. It also reads the server's
    /// durability settings.
    static func probe(_ url: PostgresURL, timeouts: PostgresTimeouts, logger: Logger) async throws -> Durability {
        try await deadline(timeouts.connect + 1, "database_url: connecting to \(url)") {
            let connection: PostgresConnection
            do {
                connection = try await PostgresConnection.connect(
                    configuration: url.connectionConfiguration(timeouts: timeouts), id: 0, logger: logger)
            } catch {
                throw StoreError(code: .database, reason: "database_url: cannot connect to \(url): \(describe(error))")
            }
            do {
                let rows = try await connection.query(
                    "SELECT current_setting('fsync'), current_setting('synchronous_commit')", logger: logger).collect()
                guard let row = rows.first else {
                    throw StoreError(code: .database, reason: "no row for current_setting")
                }
                let (fsync, synchronousCommit) = try row.decode((String, String).self)
                try? await connection.close()
                return Durability(fsync: fsync, synchronousCommit: synchronousCommit)
            } catch {
                try? await connection.close()
                throw StoreError(code: .database, reason: "database_url: \(url) answered the first query with an error: \(describe(error))")
            }
        }
    }

    /// Checks that the server answers, for `/readyz`.
    public func checkReadiness() async throws {
        try await withConnection("readiness") { connection in
            _ = try await connection.query("SELECT size FROM log_state WHERE id = 1", logger: self.logger)
                .collect()
        }
    }

    /// Runs `body` on a leased connection within the operation timeout.
    func withConnection<T: Sendable>(_ context: String, timeout: Double? = nil,
                                     _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        return try await Self.deadline(timeout ?? timeouts.operation, context) {
            do {
                return try await self.client.withConnection { connection in
                    self.leased.add(1, ordering: .relaxed)
                    defer { self.leased.subtract(1, ordering: .relaxed) }
                    return try await body(connection)
                }
            } catch {
                throw Self.converting(error, context)
            }
        }
    }

    /// Runs `body` in one transaction (BEGIN ... COMMIT, ROLLBACK if it throws).
    func transaction<T: Sendable>(_ context: String, timeout: Double? = nil,
                                  _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let logger = logger
        return try await withConnection(context, timeout: timeout) { connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Runs `body` but returns (throwing) after `seconds` if it has not finished; the body is left to end alone.
    ///
    /// A task group would wait for a child that ignores cancellation (a query in flight), so this resumes a
    /// continuation from whichever of the body and the timer ends first.
    static func deadline<T: Sendable>(_ seconds: Double, _ context: String,
                                      _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let once = ResumeOnce<T>()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            once.set(continuation)
            let work = Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                once.resume(with: result)
            }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                if once.resume(with: .failure(StoreError(
                    code: .database, reason: "\(context): PostgreSQL did not answer within \(seconds) s"))) {
                    work.cancel()
                }
            }
        }
    }
}

/// A continuation resumed by the first of several racers.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func set(_ value: CheckedContinuation<T, any Error>) {
        continuation.withLock { $0 = value }
    }

    /// Resumes unless another racer did; returns whether this call did.
    @discardableResult
    func resume(with result: Result<T, any Error>) -> Bool {
        guard let continuation = continuation.withLock({ $0.take() }) else { return false }
        continuation.resume(with: result)
        return true
    }
}

// MARK: - Errors

extension PostgresDatabase {
    /// A PostgreSQL error as a store error: constraint violations are the caller's, everything else the database's.
    ///
    /// Only the server's SQLSTATE and message are kept (never the query or its bindings).
    static func converting(_ error: any Error, _ context: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            let message = error.serverInfo?[.message] ?? ""
            let code: StoreError.Code
            switch state {
            case "23505": code = .duplicate
            case _ where state.hasPrefix("23"): code = .invalidInput
            default: code = .database
            }
            return StoreError(code: code, reason: "\(context): PostgreSQL \(state): \(message)")
        }
        return StoreError(code: .database, reason: "\(context): \(describe(error))")
    }

    /// A short description of a connection failure without query text.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                let state = info[.sqlState] ?? ""
                switch state {
                case "28P01": return "password authentication failed for user"
                case "28000": return "the server refused this user (pg_hba.conf)"
                case "3D000": return "the database does not exist"
                default: return "PostgreSQL \(state): \(info[.message] ?? "")"
                }
            }
            if let underlying = error.underlying { return "\(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
