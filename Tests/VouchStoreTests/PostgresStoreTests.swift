import Foundation
import Logging
import Testing
import VouchCore
import VouchCrypto
import VouchLog
@testable import VouchStore
import VouchPostgresTesting
import VouchServerTesting

/// What only the PostgreSQL store has: URL checks, connect bounds, several writers and integrators on one database.
///
/// Everything both stores share runs on both in the other suites of this target (`arguments: Backend.allCases`).
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    @Test("bad URLs name database_url and never show the password", arguments: [
        "mysql://u:secretpw@h/db", "postgres://u:secretpw@h", "postgres://u:secretpw@h:99999/db",
        "postgres:///db", "postgres://u:secretpw@h/db?sslmode=require", "postgres:///db?host=relative",
    ])
    func badURLs(_ text: String) {
        #expect {
            try PostgresURL(text)
        } throws: { error in
            let reason = (error as? StoreError)?.reason ?? ""
            return reason.hasPrefix("database_url:") && !reason.contains("secretpw")
        }
    }

    @Test("the throwaway test cluster runs without fsync and reports slow statements and checkpoints at exit")
    func testCluster() async throws {
        let admin = try await PostgresTestCluster.admin()
        if ProcessInfo.processInfo.environment["VOUCH_TEST_DATABASE_URL"]?.isEmpty ?? true {
            // psql stops with an error (and this throws) unless the cluster has the settings it was started with.
            try await PostgresTestCluster.psql(admin, """
                DO $$ BEGIN
                  IF current_setting('fsync') <> 'off' OR current_setting('full_page_writes') <> 'off'
                     OR current_setting('log_min_duration_statement') <> '10s' THEN
                    RAISE EXCEPTION 'test cluster settings';
                  END IF;
                END $$
                """)
        }
        let log = """
            2026-12-01 20:00:01.000 UTC [41] LOG:  duration: 12034.120 ms  statement: COMMIT
            2026-12-01 20:00:02.000 UTC [30] LOG:  checkpoint starting: wal
            2026-12-01 20:00:40.000 UTC [30] LOG:  checkpoint complete: wrote 9000 buffers (54.9%); 0 WAL file(s) added, 0 removed, 33 recycled; write=26.100 s, sync=11.900 s, total=38.012 s; sync files=812
            2026-12-01 20:01:10.000 UTC [30] LOG:  checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.001 s, sync=0.001 s, total=0.005 s; sync files=2
            2026-12-01 20:01:11.000 UTC [52] FATAL:  terminating connection due to administrator command
            2026-12-01 20:01:12.000 UTC [53] FATAL:  terminating connection due to idle-in-transaction timeout
            """
        let slow = PostgresTestCluster.slowLines(log)
        #expect(slow.count == 3)
        #expect(slow.first?.contains("duration: 12034.120 ms") == true)
        #expect(slow.dropFirst().first?.contains("total=38.012 s") == true)
        #expect(slow.last?.contains("idle-in-transaction timeout") == true)
    }

    @Test("the cluster's tools, and the server pg_ctl leaves running, inherit none of this process's descriptors")
    func toolsInheritNothing() throws {
        // A pipe as Foundation makes one for a child's output: not close-on-exec.
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer { ends.forEach { close($0) } }
        #expect(fcntl(ends[1], F_GETFD) & FD_CLOEXEC == 0)
        // The tool fails (and `run` throws) if it holds either end.
        try PostgresTestCluster.run("/bin/sh", ["-c", "test ! -e /proc/$$/fd/\(ends[0]) && test ! -e /proc/$$/fd/\(ends[1])"])
        // ...and the check itself can fail: a descriptor it does have.
        #expect(throws: (any Error).self) { try PostgresTestCluster.run("/bin/sh", ["-c", "test ! -e /proc/$$/fd/2"]) }
    }

    @Test("a database set to synchronous_commit=off still gets synchronous commits from a node, which says so")
    func synchronousCommit() async throws {
        let admin = try await PostgresTestCluster.admin()
        let off = try await PostgresTestCluster.freshURL(), plain = try await PostgresTestCluster.freshURL()
        try await PostgresTestCluster.psql(admin, "ALTER DATABASE \(off.database) SET synchronous_commit = off")
        // Another client of that database (psql here) does get off.
        try await PostgresTestCluster.psql(off, """
            DO $$ BEGIN IF current_setting('synchronous_commit') <> 'off' THEN RAISE EXCEPTION 'not off'; END IF; END $$
            """)
        for (url, isOff) in [(off, true), (plain, false)] {
            let capture = LogCapture()
            let database = try await Self.open(url, logger: capture.logger)
            defer { database.close() }
            // Through the node's own pool, on whichever of its sessions: an error unless it commits synchronously.
            for _ in 0..<3 {
                try await database.unsafeExecute("""
                    DO $$ BEGIN IF current_setting('synchronous_commit') <> 'on' THEN RAISE EXCEPTION 'not on'; END IF; END $$
                    """)
            }
            let logged = capture.text.split(separator: "\n")
            #expect(logged.contains { $0.hasPrefix("notice") && $0.contains("synchronous_commit is off") } == isOff,
                    "\(logged)")
            if ProcessInfo.processInfo.environment["VOUCH_TEST_DATABASE_URL"]?.isEmpty ?? true {
                // The throwaway cluster runs with fsync off (see testCluster).
                #expect(logged.contains { $0.hasPrefix("warning") && $0.contains("fsync=off") }, "\(logged)")
            }
        }
    }

    /// Opens a store as ``BackendFixture`` does: through its gate, with bounds for a machine loaded by the
    /// whole suite (a 3 s connect bound was missed so); `timeouts` replaces all but the connect bound.
    static func open(_ url: PostgresURL, timeouts: PostgresTimeouts? = nil,
                     logger: Logger = Logger(label: "vouch.store.postgres")) async throws -> PostgresDatabase {
        var bounds = timeouts ?? {
            var roomy = PostgresTimeouts()
            roomy.operation = 60
            roomy.statement = 30
            return roomy
        }()
        bounds.connect = 30
        await TestGate.postgresStores.enter()
        defer { TestGate.postgresStores.leave() }
        return try await PostgresDatabase.open(url, timeouts: bounds, logger: logger)
    }

    @Test("a node's migration waits for another node's past its own statement bound, then opens the store")
    func migrationWaitsForAnother() async throws {
        let url = try await PostgresTestCluster.freshURL()
        // Another node migrating: a session holding the migrations' advisory lock for 8 s.
        let other = Task { try await PostgresTestCluster.psql(url, "SELECT pg_advisory_lock(7406013), pg_sleep(8)") }
        let held = """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database
                             WHERE l.locktype = 'advisory' AND l.objid = 7406013 AND l.granted
                               AND d.datname = current_database()) THEN
                RAISE EXCEPTION 'not held yet';
              END IF;
            END $$
            """
        var polls = 0
        while (try? await PostgresTestCluster.psql(url, held)) == nil {
            polls += 1
            #expect(polls < 300, "the other session never took the lock")
            if polls >= 300 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        // A request's statement and lock bound of 1 s; room for the reads after it on a loaded machine.
        var timeouts = PostgresTimeouts()
        timeouts.statement = 1
        timeouts.operation = 30
        let clock = ContinuousClock()
        let start = clock.now
        let database = try await Self.open(url, timeouts: timeouts)
        defer { database.close() }
        let waited = start.duration(to: clock.now)
        #expect(waited > .seconds(1), "waited \(waited), past the 1 s lock and statement bound")
        #expect(try await database.appliedMigrations() == PostgresDatabase.migrations.map(\.version))
        try await other.value
    }

    @Test("an unreachable server or a missing database fails within the connect bound, naming database_url")
    func unreachable() async throws {
        var timeouts = PostgresTimeouts()
        timeouts.connect = 1
        let start = ContinuousClock.now
        // A TCP port nothing listens on, and (test-net) an address that does not answer.
        for text in ["postgres://vouch:secretpw@127.0.0.1:1/vouch", "postgres://vouch:secretpw@192.0.2.1:5432/vouch"] {
            await #expect {
                try await PostgresDatabase.open(try PostgresURL(text), timeouts: timeouts)
            } throws: { error in
                let reason = (error as? StoreError)?.reason ?? ""
                return reason.hasPrefix("database_url:") && !reason.contains("secretpw")
            }
        }
        // Bounded, not a hang: about 2 s alone, but 46 s was seen while the whole suite loaded both cores (the
        // two opens wait for the cooperative pool's two threads); the bound only has to tell a bound from a hang.
        #expect(start.duration(to: .now) < .seconds(120))
        let missing = try await PostgresTestCluster.admin().with(database: "no_such_database")
        await #expect {
            try await PostgresDatabase.open(missing, timeouts: timeouts)
        } throws: { error in
            ((error as? StoreError)?.reason ?? "").contains("database does not exist")
        }
    }

    @Test("two writers (two nodes) issuing at once: contiguous indices, every answered code in the log, audit passes")
    func twoWriters() async throws {
        let fixture = try await BackendFixture(.postgres)
        let nodes = [try fixture.writer(maximumBatchSize: 16), try fixture.writer(maximumBatchSize: 16)]
        let integrator = try #require(try fixture.integrator(holder: "node-a"))
        let integration = Task { await integrator.run() }
        let answered = try await withThrowingTaskGroup(of: (PendingAttestation, CommittedAttestation).self) { group in
            for number in 0..<400 {
                let item = try Sample.attestation()
                let node = nodes[number % 2]
                group.addTask { (item, try await node.commit(item)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        integration.cancel()
        await integration.value
        #expect(Set(answered.map(\.1.logIndex)) == Set(0..<400))
        try await fixture.integrate()
        let reader = fixture.reader
        for (item, committed) in answered {
            let entry = try #require(try await reader.entries(in: committed.logIndex..<committed.logIndex + 1).first)
            #expect(try LogEntry(cbor: entry.entry).token == item.tokenHash)
        }
        let report = try await fixture.audit()
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.treeSize == 400)
    }

    @Test("two integrators racing on one database never corrupt the log")
    func racingIntegrators() async throws {
        let fixture = try await BackendFixture(.postgres)
        let writer = try fixture.writer()
        let first = try #require(try fixture.integrator(holder: "a"))
        let second = try #require(try fixture.integrator(holder: "b"))
        var conflicts = 0
        for round in 0..<15 {
            _ = try await writer.commitBulk((0..<(round * 37 % 300 + 1)).map { _ in try Sample.attestation() })
            // Both ignore the lease and integrate at once: at most one may move the log.
            async let a = first.integrate()
            async let b = second.integrate()
            let rounds = try await [a, b]
            conflicts += rounds.filter { $0 == .conflict }.count
            #expect(rounds.contains { if case .integrated = $0 { true } else { false } })
        }
        try await fixture.integrate()
        let report = try await fixture.audit()
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.treeSize == (0..<15).reduce(0) { $0 + $1 * 37 % 300 + 1 })
        print("racing integrators: \(conflicts) of 15 rounds lost the compare-and-swap")
    }

    @Test("one node integrates at a time; another takes over once its lease lapses")
    func takeover() async throws {
        let fixture = try await BackendFixture(.postgres)
        let writer = try fixture.writer()
        // Long enough that a loaded machine does not lapse it between two steps.
        let a = try #require(try fixture.integrator(holder: "a", leaseSeconds: 4))
        let b = try #require(try fixture.integrator(holder: "b", leaseSeconds: 4))
        _ = try await writer.commitBulk((0..<10).map { _ in try Sample.attestation() })
        #expect(try await a.step() == .integrated(size: 10))
        #expect(try await b.step() == .follower)
        _ = try await writer.commitBulk((0..<5).map { _ in try Sample.attestation() })
        #expect(try await a.step() == .integrated(size: 15))
        // a stops renewing (it died); b takes over after the lease.
        _ = try await writer.commitBulk((0..<5).map { _ in try Sample.attestation() })
        #expect(try await b.step() == .follower)
        try await Task.sleep(for: .milliseconds(4300))
        #expect(try await b.step() == .integrated(size: 20))
        #expect(try await a.step() == .follower)
        // A released lease is taken at once.
        try await b.releaseLease()
        #expect(try await a.step() == .idle(size: 20))
        #expect(try await fixture.audit().problems.isEmpty)
    }

    @Test("an integrator whose (size, root) is not the tiles' stops and writes nothing")
    func rootMismatch() async throws {
        let fixture = try await BackendFixture(.postgres)
        let writer = try fixture.writer()
        let database = try #require(fixture.postgres)
        _ = try await writer.commitBulk((0..<3).map { _ in try Sample.attestation() })
        let integrator = try #require(try fixture.integrator(holder: "a"))
        #expect(try await integrator.integrate() == .integrated(size: 3))
        _ = try await writer.commitBulk((0..<3).map { _ in try Sample.attestation() })
        try await PostgresTestCluster.psql(database.url, "UPDATE log_state SET root = sha256('other'::bytea)")
        await #expect(throws: StoreError(code: .corrupt, reason: "")) {
            try await integrator.integrate()
        }
        let reader = fixture.reader
        #expect(try await reader.latestCheckpoint()?.size == 3)
    }
}
