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
}
