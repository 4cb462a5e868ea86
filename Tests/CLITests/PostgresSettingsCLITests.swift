import Foundation
import Testing

/// The PostgreSQL node settings as an operator meets them: listed by `vouch config show`, refused by
/// `vouch config check` and by `vouch serve` (exit 2, naming the setting and where it came from).
@Suite struct PostgresSettingsCLITests {
    @Test("config show lists the pool, timeouts, lease, interval and node id with their defaults")
    func shown() throws {
        let shown = try CLI.run(["config", "show"], environment: ["VOUCH_NODE_ID": "edge-2", "VOUCH_DATABASE_POOL_SIZE": "12"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        func line(_ key: String) -> String { lines.first { $0.hasPrefix(key + " ") } ?? "" }
        #expect(line("database_pool_size").contains("12") && line("database_pool_size").contains("(VOUCH_DATABASE_POOL_SIZE)"),
                "\(shown.stdout)")
        #expect(line("node_id").contains("edge-2"), "\(shown.stdout)")
        for (key, value) in [("database_connect_timeout", "3"), ("database_statement_timeout", "4"),
                             ("database_operation_timeout", "5"), ("integrator_lease_seconds", "2"),
                             ("integrator_interval", "0.1")] {
            #expect(line(key).contains(" \(value)  (default)"), "\(key): \(shown.stdout)")
        }
    }

    @Test("config check refuses 0, negative, absurd and inconsistent values, naming file, key and range",
          arguments: [
              (#"{"database_pool_size": 0}"#, #"key "database_pool_size" (VOUCH_DATABASE_POOL_SIZE): must be an integer from 1 to 200"#),
              (#"{"database_pool_size": -3}"#, "must be an integer from 1 to 200"),
              (#"{"database_pool_size": 5000}"#, "must be an integer from 1 to 200"),
              (#"{"database_connect_timeout": 0}"#, #"key "database_connect_timeout" (VOUCH_DATABASE_CONNECT_TIMEOUT): must be a number of seconds from 0.1 to 60"#),
              (#"{"database_statement_timeout": -1}"#, "from 0.1 to 600"),
              (#"{"database_statement_timeout": 10, "database_operation_timeout": 5}"#,
               "must be at least database_statement_timeout (10.0 s)"),
              (#"{"integrator_lease_seconds": 100000}"#, "from 0.5 to 300"),
              (#"{"integrator_lease_seconds": 1, "integrator_interval": 0.9}"#, "must be at most half of integrator_lease_seconds"),
              (#"{"node_id": "node one"}"#, #"key "node_id" (VOUCH_NODE_ID): must be 1 to 64 characters"#),
              (#"{"database_pool_size": "eight"}"#, "must be an integer"),
          ])
    func refused(json: String, message: String) throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.json")
        try Data(json.utf8).write(to: file)
        let bad = try CLI.run(["config", "check", file.path])
        #expect(bad.status == 2, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stderr.contains(file.path) && bad.stderr.contains(message), "\(bad.stderr)")
    }

    @Test("vouch serve with a bad PostgreSQL setting exits 2 naming the variable, before opening anything")
    func serveRefuses() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let refused = try CLI.run(["serve"], environment: [
            "VOUCH_DATA_DIR": dir.appendingPathComponent("data").path, "VOUCH_LISTEN": "127.0.0.1:1",
            "VOUCH_INTEGRATOR_INTERVAL": "5",
        ])
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("VOUCH_INTEGRATOR_INTERVAL: must be at most half of integrator_lease_seconds"),
                "\(refused.stderr)")
    }

    @Test("vouch issue and vouch log without --url refuse a PostgreSQL database_url with exit 2, naming it")
    func localCommandsRefusePostgres() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = ["--data-dir", dir.appendingPathComponent("data").path]
        #expect(try CLI.run(["init"] + data).status == 0)
        let postgres = ["VOUCH_DATABASE_URL": "postgres://vouch:canary-password@127.0.0.1:1/vouch"]
        let issued = try CLI.run(["issue", "age", "--birth-date", "2000-01-01"] + data, environment: postgres)
        #expect(issued.status == 2, "\(issued.stdout)\(issued.stderr)")
        #expect(issued.stdout.isEmpty, "no code printed")
        #expect(issued.stderr.contains("database_url (VOUCH_DATABASE_URL) is set") && issued.stderr.contains("vouch issue"),
                "\(issued.stderr)")
        // On SQLite the same commands work; a code from there for `log show`.
        let local = try CLI.run(["issue", "age", "--birth-date", "2000-01-01"] + data)
        #expect(local.status == 0, "\(local.stderr)")
        let code = local.stdout.split(separator: "\n").first { $0.hasPrefix("VCH1:") }.map(String.init) ?? ""
        #expect(try CLI.run(["log", "show", "--token", code] + data).status == 0)
        for command in [["log", "verify"], ["log", "show", "--token", code]] {
            let log = try CLI.run(command + data, environment: postgres)
            #expect(log.status == 2, "\(command): \(log.stdout)\(log.stderr)")
            #expect(log.stderr.contains("database_url (VOUCH_DATABASE_URL) is set") && log.stderr.contains("--url"),
                    "\(log.stderr)")
            #expect(!log.stderr.contains("canary-password"))
        }
    }
}
