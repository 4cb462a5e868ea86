import Foundation
import Testing

/// Several `vouch serve` nodes on one real PostgreSQL (Debian's, started in a temp dir by
/// `Tests/ScaleOut/pgcluster.py`), driven from Python: the cluster helper itself, and the fault runs.
@Suite(.serialized) struct ScaleOutTests {
    func run(_ script: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await PythonDriver.run(script: "Tests/ScaleOut/\(script)", arguments: arguments)
    }

    /// The throwaway cluster the fault tests stand on: initdb as `postgres`, a password login over TCP on
    /// loopback, a wrong password refused, a fast stop and start that keeps the data, and nothing left behind.
    @Test func throwawayClusterStartsRestartsAndGoes() async throws {
        let result = try await run("pgcluster.py", ["selftest"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("pgcluster ok"), "\(result.output)")
    }

    /// The README's three nodes on one PostgreSQL under issuance from four clients: kill -9 of a random node
    /// and of the integrator, three times each, the checkpoint growing again within 10 s of each; PostgreSQL
    /// stopped for 8 s (503 problem JSON within 6.5 s, never a 500, /readyz 503, every node issuing again by
    /// itself); then every answered code is the entry at its receipt's index, the indices are contiguous,
    /// and `vouch log verify --url` passes on each node. A wrong password or a URL where nothing listens makes
    /// `vouch serve` exit 2 naming database_url. About 45 s.
    @Test func threeNodesSurviveKillsAndADatabaseRestart() async throws {
        guard PythonDriver.hasVenv else {
            Issue.record("no .venv/bin/python: run `make test` (it creates .venv; scaleout.py reads receipts with cbor2)")
            return
        }
        let result = try await run("scaleout.py", [CLI.executable.path, CLI.packageRoot.path])
        // Exit 3: every other check held, but an answer around the PostgreSQL restart took 6.5 s or more (each
        // call is answered within the store's 5 s bound; 5.01-5.06 s is the slowest seen, under load too).
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("scaleout ok"), "\(result.output)")
    }

    /// Two witnesses (quorum 2) in front of the README's three nodes on one PostgreSQL: every node serves a
    /// cosigned checkpoint that catches up with the log (cosignatures checked from the spec in Python); with
    /// a witness down issuance goes on and every node's cosigned checkpoint lags, then catches up; the same
    /// after the integrator's kill -9; `vouch log verify --witness` passes; a witness refuses nothing but
    /// with 409 (nodes racing with the same checkpoint). About 20 s.
    @Test func witnessesInFrontOfSeveralNodes() async throws {
        try await PythonDriver.expectPasses("Tests/ScaleOut/witnesses.py", [CLI.executable.path, CLI.packageRoot.path],
                                            says: "scale-out witnesses ok", needs: "witnesses.py checks cosignatures with cryptography")
    }

    /// One of the README's three nodes on PostgreSQL with its wall clock set back while it runs (libfaketime,
    /// monotonic clock untouched), under issuance from four clients: 2 hours back it answers issuance with
    /// 503 "check the clock" (the code's iat would precede its certificate), 30 minutes back each answer is a
    /// 201 whose code the other nodes accept or that 503; then it integrates with its clock behind. Every
    /// answer is a 201 or 503, every answered code is at its receipt's index, indices are contiguous, and
    /// `vouch log verify --url` passes on every node. It found the API-key rate limiter refusing every key
    /// for as long as the clock went back, and codes minted that every till refused. About 30 s.
    @Test func aClockSetBackOnOneNode() async throws {
        try await PythonDriver.expectPasses("Tests/ScaleOut/clock.py", [CLI.executable.path, CLI.packageRoot.path],
                                            says: "clock ok", needs: "clock.py reads receipts with cbor2")
    }
}
