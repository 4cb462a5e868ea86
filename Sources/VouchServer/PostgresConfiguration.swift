public import Foundation
public import VouchHTTP
public import VouchStore

/// How a node uses a PostgreSQL store: its pool, its time bounds and its part in electing the log integrator.
///
/// Read by ``init(settings:)`` (file keys as below, variables `VOUCH_` and the key in upper case):
/// `database_pool_size` (connections, `8`), `database_connect_timeout` (`3` s),
/// `database_statement_timeout` (`4` s, also the lock wait), `database_operation_timeout` (`5` s: the
/// longest a request waits for the database before its 503), `integrator_lease_seconds` (`2`),
/// `integrator_interval` (`0.1` s between rounds) and `node_id` (the lease holder's name). Ignored on SQLite.
///
/// The bounds are checked together because they only work together: a whole operation shorter than
/// one of its statements would abandon queries the server still runs, and a holder that renews its
/// lease less often than twice per lease would lose it to another node while healthy.
public struct PostgresConfiguration: Sendable {
    /// Pool size and time bounds, handed to ``PostgresDatabase``.
    public var timeouts = PostgresTimeouts()
    /// Seconds the integrator lease lasts without renewal; a dead integrator is replaced after this.
    public var leaseSeconds: Double = 2
    /// Seconds between integration rounds (each renews the lease).
    public var roundInterval: Double = 0.1
    /// The lease holder name; it must differ between nodes sharing a database.
    public var nodeID = PostgresConfiguration.processNodeID

    public init() {}

    /// Reads the settings above.
    ///
    /// - Throws: ``ConfigurationError`` naming the setting that is malformed or out of range, and where it came from.
    public init(settings: VouchSettings) throws(ConfigurationError) {
        func number(_ setting: Setting, _ fallback: Double, _ range: ClosedRange<Double>) throws(ConfigurationError)
            -> Double {
            guard let value = try settings.number(setting) else { return fallback }
            guard value.isFinite, range.contains(value) else {
                throw settings.invalid(setting, "must be a number of seconds from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        if let size = try settings.integer(.databasePoolSize) {
            guard (1...200).contains(size) else { throw settings.invalid(.databasePoolSize, "must be an integer from 1 to 200") }
            timeouts.poolSize = size
        }
        timeouts.connect = try number(.databaseConnectTimeout, timeouts.connect, 0.1...60)
        timeouts.statement = try number(.databaseStatementTimeout, timeouts.statement, 0.1...600)
        timeouts.operation = try number(.databaseOperationTimeout, max(timeouts.operation, timeouts.statement + 1),
                                        0.1...600)
        guard timeouts.operation >= timeouts.statement else {
            throw settings.invalid(.databaseOperationTimeout,
                                   "must be at least database_statement_timeout (\(timeouts.statement) s)")
        }
        leaseSeconds = try number(.integratorLeaseSeconds, leaseSeconds, 0.5...300)
        roundInterval = try number(.integratorInterval, min(roundInterval, leaseSeconds / 2), 0.01...60)
        guard roundInterval * 2 <= leaseSeconds else {
            throw settings.invalid(.integratorInterval,
                                   "must be at most half of integrator_lease_seconds (\(leaseSeconds) s), "
                                       + "or the integrator loses its lease between rounds")
        }
        if let name = try settings.string(.nodeID) {
            guard Self.isValidNodeID(name) else {
                throw settings.invalid(.nodeID, "must be 1 to 64 characters of A-Z a-z 0-9 . _ : -")
            }
            nodeID = name
        }
    }

    /// Whether a name is short and plain enough for the lease row, log lines and metrics.
    public static func isValidNodeID(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x2E || byte == 0x5F || byte == 0x3A || byte == 0x2D
        }
    }

    /// This process's default node id, made once: ``defaultNodeID()``.
    public static let processNodeID = defaultNodeID()

    /// `HOSTNAME-PID-XXXXXX`: tells an operator which host and process holds the lease; the six random hex
    /// digits keep two live processes apart even when their hosts share a name and their PIDs match (two
    /// containers given one hostname, each its service as PID 1), which would otherwise both believe they
    /// hold the lease.
    public static func defaultNodeID() -> String {
        let pid = "-\(getpid())-" + String(format: "%06x", UInt32.random(in: 0..<(1 << 24)))
        // gethostname(2), not ProcessInfo.hostName, which may ask the resolver.
        var buffer = [CChar](repeating: 0, count: 256)
        let name = gethostname(&buffer, buffer.count - 1) == 0 ? String(cString: buffer) : ""
        let host = String(name.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return scalar.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_") ? c : "_"
        }.prefix(64 - pid.count))
        return (host.isEmpty ? "node" : host) + pid
    }
}
