import VouchServerTesting
import Foundation
import Synchronization
import Testing
import VouchHTTP
import VouchPostgresTesting
import VouchServer
import VouchStore

/// The PostgreSQL settings of a node (`database_pool_size`, the three timeouts, the integrator's lease and
/// interval, `node_id`): read and checked, and used by a node started with them, as seen from PostgreSQL.
@Suite("PostgreSQL node settings")
struct PostgresNodeSettingsTests {
    @Test("defaults: pool 8, 3/4/5 s, lease 2 s, rounds 0.1 s, node id HOSTNAME-PID-XXXXXX")
    func defaults() throws {
        let postgres = try ServerConfiguration(settings: VouchSettings(environment: [:])).postgres
        #expect(postgres.timeouts.poolSize == 8)
        #expect(postgres.timeouts.connect == 3 && postgres.timeouts.statement == 4 && postgres.timeouts.operation == 5)
        #expect(postgres.leaseSeconds == 2 && postgres.roundInterval == 0.1)
        #expect(postgres.nodeID.contains("-\(getpid())-") && PostgresConfiguration.isValidNodeID(postgres.nodeID))
        #expect(postgres.nodeID.split(separator: "-").last.map { $0.count == 6 && $0.allSatisfy(\.isHexDigit) } == true)
        // The same process keeps one id; two processes on one host with one PID (two containers) do not share it.
        #expect(try ServerConfiguration(settings: VouchSettings(environment: [:])).postgres.nodeID == postgres.nodeID)
        #expect(Set((0..<20).map { _ in PostgresConfiguration.defaultNodeID() }).count > 1)
        // A longer statement timeout alone moves the operation bound past it.
        let longer = try PostgresConfiguration(settings: VouchSettings(environment: ["VOUCH_DATABASE_STATEMENT_TIMEOUT": "30"]))
        #expect(longer.timeouts.operation == 31)
    }

    @Test("zero, negative, absurd or inconsistent values are refused naming the variable", arguments: [
        ("VOUCH_DATABASE_POOL_SIZE", "0", "must be an integer from 1 to 200"),
        ("VOUCH_DATABASE_POOL_SIZE", "-4", "must be an integer from 1 to 200"),
        ("VOUCH_DATABASE_POOL_SIZE", "100000", "must be an integer from 1 to 200"),
        ("VOUCH_DATABASE_POOL_SIZE", "eight", "must be an integer"),
        ("VOUCH_DATABASE_CONNECT_TIMEOUT", "0", "from 0.1 to 60"),
        ("VOUCH_DATABASE_CONNECT_TIMEOUT", "-1", "from 0.1 to 60"),
        ("VOUCH_DATABASE_STATEMENT_TIMEOUT", "1e9", "from 0.1 to 600"),
        ("VOUCH_DATABASE_OPERATION_TIMEOUT", "0", "from 0.1 to 600"),
        ("VOUCH_DATABASE_OPERATION_TIMEOUT", "2", "must be at least database_statement_timeout (4.0 s)"),
        ("VOUCH_INTEGRATOR_LEASE_SECONDS", "0.1", "from 0.5 to 300"),
        ("VOUCH_INTEGRATOR_LEASE_SECONDS", "86400", "from 0.5 to 300"),
        ("VOUCH_INTEGRATOR_INTERVAL", "0", "from 0.01 to 60"),
        ("VOUCH_INTEGRATOR_INTERVAL", "1.5", "must be at most half of integrator_lease_seconds (2.0 s)"),
        ("VOUCH_NODE_ID", "node one", "must be 1 to 64 characters"),
        ("VOUCH_NODE_ID", "", "must be 1 to 64 characters"),
        ("VOUCH_NODE_ID", String(repeating: "n", count: 65), "must be 1 to 64 characters"),
        ("VOUCH_NODE_ID", "nöde", "must be 1 to 64 characters"),
    ])
    func refused(variable: String, value: String, message: String) throws {
        let error = try #require(throws: ConfigurationError.self) {
            try ServerConfiguration(settings: VouchSettings(environment: [variable: value]))
        }
        #expect(error.variable == variable, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test("a node started with them: pool of 3 and 1.5 s statements seen from PostgreSQL, its lease row names it")
    func nodeUsesThem() async throws {
        let database = try await PostgresTestCluster.freshSetting()
        let node = try await PostgresNode.start(databaseURL: database.text, settings: [
            "VOUCH_DATABASE_POOL_SIZE": "3", "VOUCH_DATABASE_STATEMENT_TIMEOUT": "1.5",
            "VOUCH_DATABASE_OPERATION_TIMEOUT": "8", "VOUCH_DATABASE_CONNECT_TIMEOUT": "2",
            "VOUCH_INTEGRATOR_LEASE_SECONDS": "6", "VOUCH_INTEGRATOR_INTERVAL": "0.25", "VOUCH_NODE_ID": "desk-node-7",
        ])
        defer { node.cleanUp() }
        let services = node.services, logs = node.logs
        guard case .postgres(let store) = services.store else {
            Issue.record("not on PostgreSQL")
            return
        }
        defer { store.close() }
        #expect(logs.text.contains("desk-node-7"), "the node id is logged at start")

        // Another session holds log_state for 5 s; six readiness checks (which read it) queue behind it.
        // 5 s, well past the 1.5 s bound: a ci-local run under load took about 1 s to open the pool's
        // connections, so with a 2.5 s lock the checks began late, waited less than 1.5 s and all passed.
        let holder = try PostgresTools.start(database.url,
                                             "BEGIN; LOCK TABLE log_state IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(5); COMMIT")
        for _ in 0..<100 {
            let granted = try await PostgresTools.query(database.url, """
                SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE c.relname = 'log_state' AND l.mode = 'AccessExclusiveLock' AND l.granted
                """)
            if granted == "1" { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let peak = Mutex(0)
        let sampler = Task {
            while !Task.isCancelled {
                let inUse = store.connectionsInUse
                peak.withLock { $0 = max($0, inUse) }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        let started = ContinuousClock.now
        let outcomes = await withTaskGroup(of: (Duration, String?).self) { group in
            for _ in 0..<6 {
                group.addTask {
                    do {
                        try await store.checkReadiness()
                        return (started.duration(to: .now), nil)
                    } catch {
                        return (started.duration(to: .now), "\(error)")
                    }
                }
            }
            // The node's own backends while the six wait (psql's excluded), at most: the pool opens 3, no more.
            var backends = 0
            for _ in 0..<40 {
                let count = Int((try? await PostgresTools.query(database.url, """
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name <> 'psql' AND backend_type = 'client backend'
                    """)) ?? "") ?? 0
                backends = max(backends, count)
                if started.duration(to: .now) > .milliseconds(2000) { break }
                try? await Task.sleep(for: .milliseconds(50))
            }
            var all: [(Duration, String?)] = [(.zero, "backends=\(backends)")]
            for await outcome in group { all.append(outcome) }
            return all
        }
        sampler.cancel()
        await PostgresTools.finish(holder)
        #expect(outcomes[0].1 == "backends=3", "the node's connections at most while six operations wait: \(outcomes[0])")
        #expect(peak.withLock { $0 } == 3, "connections the pool leased at most")
        let failures = outcomes.dropFirst().filter { $0.1 != nil }
        // Every check that reached the database gives up on the 1.5 s bound before the lock goes.
        #expect(failures.count >= 1, "\(outcomes)")
        for failure in failures {
            // The server's own bound (statement or lock timeout, both 1.5 s), not the client's 8 s one.
            let text = failure.1 ?? ""
            #expect(text.contains("57014") || text.contains("55P03"), "a timeout on the server: \(failure)")
        }

        // The integrator takes the lease under the configured name, for the configured time.
        let integrator = try #require(services.integrator)
        #expect(integrator.holder == "desk-node-7" && integrator.interval == .milliseconds(250))
        let before = try await PostgresTools.query(database.url, "SELECT EXTRACT(EPOCH FROM clock_timestamp())::float8")
        let asked = ContinuousClock.now
        #expect(try await integrator.takeLease())
        let took = asked.duration(to: .now)
        let lease = try await PostgresTools.query(database.url, """
            SELECT holder || '|' || EXTRACT(EPOCH FROM expires_at)::float8 FROM integrator_lease
            """).split(separator: "|")
        #expect(lease.first == "desk-node-7", "\(lease)")
        // Taken after `before` and within `took` of it, for 6 s on the database's clock (the default is 2 s).
        let length = (Double(lease.last ?? "") ?? 0) - (Double(before) ?? 0)
        let slack = Double(took.components.seconds) + 1
        #expect(length >= 6 - 0.01 && length < 6 + slack, "lease until \(length) s after asking (took \(took))")
    }
}
