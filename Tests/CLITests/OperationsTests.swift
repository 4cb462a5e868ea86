import Foundation
import Testing

/// docs/operations.md run for real on Debian's PostgreSQL (`Tests/ScaleOut/operations.py`, its own throwaway
/// cluster through pgcluster.py): the integrator lease handed over at SIGTERM, and backup and restore.
@Suite(.serialized) struct OperationsTests {
    func run(_ mode: String) async throws -> (status: Int32, output: String) {
        try await PythonDriver.run(script: "Tests/ScaleOut/operations.py",
                                   arguments: [mode, CLI.executable.path, CLI.packageRoot.path])
    }

    var venv: Bool {
        FileManager.default.isExecutableFile(atPath: CLI.packageRoot.appendingPathComponent(".venv/bin/python").path)
    }

    /// Two nodes with a 10 s lease, a pool of 3 and their own node_id (seen on /metrics and in the lease
    /// row); SIGTERM to the integrator under load: the other node holds the lease in under 2.5 s and signs
    /// a larger checkpoint, the stopped node exits 0, every answered code is in the log at its index, and
    /// `vouch log verify --url` passes. About 15 s.
    @Test func sigtermHandsTheLeaseOver() async throws {
        guard venv else {
            Issue.record("no .venv/bin/python: run `make venv` (operations.py reads receipts with cbor2)")
            return
        }
        let result = try await run("handover")
        #expect(result.status == 0, "\(result.output.suffix(3000))")
        #expect(result.output.contains("handover ok"), "\(result.output.suffix(3000))")
    }

    /// pg_dump, pg_restore into a fresh database, `vouch db migrate` and a node on it: `vouch log verify
    /// --checkpoint PUBLISHED` passes, the codes verify, issuing resumes. An older dump restored instead is
    /// caught by the same check, and once it grew, check-receipt calls a later code a lie. About 15 s.
    @Test func backupAndRestore() async throws {
        guard venv else {
            Issue.record("no .venv/bin/python: run `make venv` (operations.py reads receipts with cbor2)")
            return
        }
        let result = try await run("restore")
        #expect(result.status == 0, "\(result.output.suffix(3000))")
        #expect(result.output.contains("restore ok"), "\(result.output.suffix(3000))")
    }
}
