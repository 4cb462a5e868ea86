public import Foundation
public import VouchStore

/// A throwaway PostgreSQL for the tests: started once per test process, a fresh database per test.
///
/// Unless `VOUCH_TEST_DATABASE_URL` names a server (its database is only used
/// to connect; each test creates its own), this runs Debian's PostgreSQL 15:
/// `initdb` in a temporary directory as the `postgres` user (initdb refuses
/// root), listening on a unix socket in that directory only (no TCP), stopped
/// when the process exits. It runs with `fsync=off`: each test creates its
/// own database, a WAL-logged copy of template1 (about 7 MB), and none of it
/// has to survive an OS crash; the tests that restart PostgreSQL under load
/// (`Tests/ScaleOut`) run their own cluster, with fsync on. (Whole-suite runs
/// where migrations "did not answer within 120 s" were not the disk: a test
/// process stalled past its session's idle-in-transaction bound, and the
/// server ended the migration's session; see `PostgresDatabase.migrate`.)
/// If it cannot start, the tests that need it fail:
/// they never skip.
public enum PostgresTestCluster {
    public static let binaries = "/usr/lib/postgresql/15/bin"

    /// The admin URL (database `postgres`), started on first use.
    public static let started = Task { try await detached { try start() } }

    /// The admin URL (database `postgres`), once the cluster runs.
    public static func admin() async throws -> PostgresURL {
        try await started.value
    }

    /// A new, empty database on the cluster.
    public static func freshURL() async throws -> PostgresURL {
        let admin = try await admin()
        let name = "vouch_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await psql(admin, "CREATE DATABASE \(name)")
        return admin.with(database: name)
    }

    /// A new, empty database as `database_url` text (what `vouch serve` reads), and its parsed form.
    public static func freshSetting() async throws -> (url: PostgresURL, text: String) {
        let url = try await freshURL()
        let user = url.passwordForTools.map { "\(url.username):\($0)" } ?? url.username
        let text = if let socket = url.socketDirectory {
            "postgres://\(user)@/\(url.database)?host=\(socket)"
        } else {
            "postgres://\(user)@\(url.host ?? "localhost"):\(url.port)/\(url.database)"
        }
        return (url, text)
    }

    /// Opens a migrated store on a fresh database.
    public static func freshDatabase(timeouts: PostgresTimeouts = PostgresTimeouts()) async throws -> PostgresDatabase {
        try await PostgresDatabase.open(try await freshURL(), timeouts: timeouts)
    }

    private static func start() throws -> PostgresURL {
        if let text = ProcessInfo.processInfo.environment["VOUCH_TEST_DATABASE_URL"], !text.isEmpty {
            return try PostgresURL(text)
        }
        let directory = "/tmp/vouch-pg-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try run("/bin/chown", ["postgres:postgres", directory])
        let data = directory + "/data"
        try run("/usr/sbin/runuser", ["-u", "postgres", "--", binaries + "/initdb", "-D", data, "-A", "trust",
                                      "-U", "postgres", "--no-sync", "-E", "UTF8"])
        try run("/usr/sbin/runuser", ["-u", "postgres", "--", binaries + "/pg_ctl", "-D", data, "-w", "-t", "30",
                                      "-l", directory + "/server.log",
                                      "-o", "-c listen_addresses='' -k \(directory) -p 5432 -c max_connections=300 "
                                        + "-c fsync=off -c full_page_writes=off "
                                        + "-c log_min_duration_statement=\(slowMilliseconds) -c log_checkpoints=on",
                                      "start"])
        clusterDirectory = strdup(directory)
        atexit {
            guard let pointer = clusterDirectory else { return }
            let directory = String(cString: pointer)
            PostgresTestCluster.reportSlowness(log: directory + "/server.log")
            try? PostgresTestCluster.run("/usr/sbin/runuser", ["-u", "postgres", "--", PostgresTestCluster.binaries + "/pg_ctl",
                                                               "-D", directory + "/data", "-m", "immediate", "stop"])
            try? FileManager.default.removeItem(atPath: directory)
        }
        return try PostgresURL("postgres://postgres@/postgres?host=\(directory)")
    }

    /// Statements and checkpoints slower than this are written to the server log, and reported at exit.
    static let slowMilliseconds = 10_000

    /// Prints (to standard error, at most 40 lines) what the server logged as slow: statements over
    /// ``slowMilliseconds`` and checkpoints that took as long. The cluster's directory is removed at exit, so
    /// without this a stall in CI would leave no trace of where PostgreSQL spent its time.
    static func reportSlowness(log path: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        let slow = slowLines(text)
        guard !slow.isEmpty else { return }
        var report = "test PostgreSQL: \(slow.count) statements or checkpoints over \(slowMilliseconds) ms, "
            + "or sessions ended idle in a transaction:\n"
        for line in slow.prefix(40) { report += "  " + line.prefix(300) + "\n" }
        FileHandle.standardError.write(Data(report.utf8))
    }

    /// The lines of a server log that tell of slowness: every `duration:` line (the server logs only
    /// statements over ``slowMilliseconds``), each checkpoint whose total took as long, and each session the
    /// server ended because its client left it idle inside a transaction past the bound (a stalled test).
    public static func slowLines(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { line in
            if line.contains("LOG:  duration: ") || line.contains("idle-in-transaction timeout") { return true }
            // "checkpoint complete: ... write=… s, sync=… s, total=12.345 s; ..."
            guard line.contains("checkpoint complete"), let range = line.range(of: "total=") else { return false }
            let seconds = Double(line[range.upperBound...].prefix { $0.isNumber || $0 == "." }) ?? 0
            return seconds * 1000 >= Double(slowMilliseconds)
        }
    }

    public static func psql(_ url: PostgresURL, _ sql: String) async throws {
        var arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", url.username, "-d", url.database, "-c", sql]
        if let socket = url.socketDirectory {
            arguments += ["-h", socket, "-p", String(url.port)]
        } else {
            arguments += ["-h", url.host ?? "localhost", "-p", String(url.port)]
        }
        let environment = url.passwordEnvironment, command = arguments
        try await detached { try run("/usr/bin/psql", command, environment: environment) }
    }

    /// Everything a database holds, as `pg_dump` writes it (plain SQL, data included), for the privacy canary.
    public static func dump(_ url: PostgresURL) async throws -> Data {
        var arguments = ["-U", url.username, "-d", url.database, "--no-owner", "-f"]
        let output = "/tmp/vouch-pg-dump-\(getpid())-\(UUID().uuidString.prefix(8)).sql"
        arguments.append(output)
        if let socket = url.socketDirectory {
            arguments += ["-h", socket, "-p", String(url.port)]
        } else {
            arguments += ["-h", url.host ?? "localhost", "-p", String(url.port)]
        }
        let environment = url.passwordEnvironment, command = arguments
        try await detached { try run(binaries + "/pg_dump", command, environment: environment) }
        defer { unlink(output) }
        return try Data(contentsOf: URL(fileURLWithPath: output))
    }

    /// Runs blocking work (spawning and waiting for a tool) on a Dispatch thread, never on Swift's cooperative
    /// pool: with two cores, a few tests waiting in waitpid there starved every other task.
    static func detached<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    /// Runs a tool and waits for it with posix_spawn and waitpid.
    ///
    /// Not Foundation's `Process`: its wait hung here when the tool (pg_ctl) left a daemon behind.
    public static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let errors = "/tmp/vouch-pg-spawn-\(getpid())-\(UUID().uuidString.prefix(8)).err"
        defer { unlink(errors) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Nothing else of this process: the server pg_ctl leaves behind lives until the tests end, and it had
        // kept a copy of another test's pipe to a `vouch` child (Foundation's pipes are not close-on-exec),
        // whose reader then waited for an end of file for ever (a whole-suite run hung so).
        guard let closeFrom, closeFrom(&actions, 3) == 0 else {
            throw ClusterError(description: "cannot have \(tool) start without this process's descriptors: "
                               + "posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later) missing or failed")
        }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
        let argv = ([tool] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tool, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw ClusterError(description: "cannot start \(tool): errno \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            let message = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            throw ClusterError(description: "\(tool) \(arguments.prefix(4).joined(separator: " ")) failed (\(status)): \(message)")
        }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which its Swift module does not
    /// import: the child closes every descriptor from the given one up.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFrom: AddCloseFrom? = {
        dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddCloseFrom.self) }
    }()

    public struct ClusterError: Error, CustomStringConvertible {
        public let description: String
    }
}

/// The cluster directory, for the exit handler (a C function pointer captures nothing).
nonisolated(unsafe) private var clusterDirectory: UnsafeMutablePointer<CChar>?

extension PostgresURL {
    /// PGPASSWORD for psql, when the URL has a password.
    var passwordEnvironment: [String: String] {
        passwordForTools.map { ["PGPASSWORD": $0] } ?? [:]
    }
}
