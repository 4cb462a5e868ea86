public import Foundation
internal import PostgresNIO

/// Where a PostgreSQL store lives, parsed from the `database_url` setting.
///
/// Two forms are accepted, as libpq writes them: `postgres://user:pass@host:port/db`
/// (TCP, TLS off: the server is on a private network or loopback) and
/// `postgres:///db?host=/socket/dir` (a unix socket in that directory). The
/// password is kept only in memory and never appears in ``description``.
public struct PostgresURL: Sendable, CustomStringConvertible {
    /// The host name, or nil for a unix socket.
    public let host: String?
    /// The TCP port, or the number in the socket file's name (`.s.PGSQL.5432`).
    public let port: Int
    /// The socket directory for `?host=/dir`.
    public let socketDirectory: String?
    public let username: String
    let password: String?
    public let database: String

    /// The password, for handing to PostgreSQL's own tools (`PGPASSWORD`); never log it.
    public var passwordForTools: String? { password }

    /// Parses a URL; the error names the setting and what is wrong, never the password.
    ///
    /// - Throws: `StoreError.invalidInput`.
    public init(_ text: String) throws {
        func bad(_ why: String) -> StoreError {
            StoreError(code: .invalidInput, reason: "database_url: \(why)")
        }
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased() else {
            throw bad("not a URL (expected postgres://user:password@host:port/database)")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw bad("scheme \(scheme) is not postgres")
        }
        var socketDirectory: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "host":
                guard let value = item.value, value.hasPrefix("/") else { throw bad("host= must be an absolute socket directory") }
                socketDirectory = value
            case "sslmode":
                guard item.value == "disable" else { throw bad("only sslmode=disable is supported") }
            default:
                throw bad("unknown parameter \(item.name)")
            }
        }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 }
        guard host != nil || socketDirectory != nil else { throw bad("no host and no ?host=/socket/dir") }
        guard host == nil || socketDirectory == nil else { throw bad("both a host and ?host= are given") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw bad("port \(port) is out of range") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw bad("no database name in the path") }
        self.host = host
        self.port = port
        self.socketDirectory = socketDirectory
        self.username = components.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        self.password = components.password
        self.database = database
    }

    /// The URL with the password replaced, for log lines and error messages.
    public var description: String {
        let user = password == nil ? username : "\(username):***"
        if let socketDirectory {
            return "postgres://\(user)@/\(database)?host=\(socketDirectory)"
        }
        return "postgres://\(user)@\(host ?? ""):\(port)/\(database)"
    }

    /// Whether a text is meant for PostgreSQL (anything else is a configuration error, not SQLite).
    public static func isPostgres(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// The same server and credentials, another database (the tests create one per test).
    public func with(database: String) -> PostgresURL {
        PostgresURL(host: host, port: port, socketDirectory: socketDirectory, username: username,
                    password: password, database: database)
    }

    private init(host: String?, port: Int, socketDirectory: String?, username: String, password: String?,
                 database: String) {
        self.host = host
        self.port = port
        self.socketDirectory = socketDirectory
        self.username = username
        self.password = password
        self.database = database
    }

    var socketPath: String? {
        socketDirectory.map { "\($0)/.s.PGSQL.\(port)" }
    }

    /// The pool's configuration; `parameters` are the startup parameters of each session (by default the
    /// bounds of `timeouts`).
    func clientConfiguration(timeouts: PostgresTimeouts,
                             parameters: [(String, String)]? = nil) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketPath {
            configuration = .init(unixSocketPath: socketPath, username: username, password: password, database: database)
        } else {
            configuration = .init(host: host ?? "localhost", port: port, username: username, password: password,
                                  database: database, tls: .disable)
        }
        configuration.options.connectTimeout = .milliseconds(Int64(timeouts.connect * 1000))
        configuration.options.maximumConnections = timeouts.poolSize
        configuration.options.minimumConnections = 0
        configuration.options.additionalStartupParameters = parameters ?? timeouts.startupParameters
        return configuration
    }

    func connectionConfiguration(timeouts: PostgresTimeouts) -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketPath {
            configuration = .init(unixSocketPath: socketPath, username: username, password: password, database: database)
        } else {
            configuration = .init(host: host ?? "localhost", port: port, username: username, password: password,
                                  database: database, tls: .disable)
        }
        configuration.options.connectTimeout = .milliseconds(Int64(timeouts.connect * 1000))
        configuration.options.additionalStartupParameters = timeouts.startupParameters
        return configuration
    }
}

/// Bounds on every wait for PostgreSQL, so a request fails with 503 instead of hanging when the server is gone.
public struct PostgresTimeouts: Sendable {
    /// Seconds to open a connection.
    public var connect: Double = 3
    /// Seconds a statement may run on the server (`statement_timeout`), and a lock wait (`lock_timeout`).
    public var statement: Double = 4
    /// Seconds a whole operation (lease, queries, commit) may take on the client before it is abandoned.
    public var operation: Double = 5
    /// Connections in this node's pool.
    public var poolSize: Int = 8

    public init() {}

    var startupParameters: [(String, String)] {
        let milliseconds = String(Int(statement * 1000))
        return [("statement_timeout", milliseconds), ("lock_timeout", milliseconds),
                ("idle_in_transaction_session_timeout", String(Int(operation * 1000) * 2))]
    }
}
