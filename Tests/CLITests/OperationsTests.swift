import Foundation
import Testing

/// docs/operations.md run for real on Debian's PostgreSQL (`Tests/ScaleOut/operations.py`, its own throwaway
/// cluster through pgcluster.py): the integrator lease handed over at SIGTERM, and backup and restore.
@Suite(.serialized) struct OperationsTests {
    func expectPasses(_ mode: String) async throws {
        try await PythonDriver.expectPasses("Tests/ScaleOut/operations.py",
                                            [mode, CLI.executable.path, CLI.packageRoot.path], says: "\(mode) ok",
                                            needs: "operations.py reads receipts with cbor2")
    }

    /// Two nodes with a 10 s lease, a pool of 3 and their own node_id (seen on /metrics and in the lease
    /// row); SIGTERM to the integrator under load: the other node holds the lease in under 2.5 s and signs
    /// a larger checkpoint, the stopped node exits 0, every answered code is in the log at its index, and
    /// `vouch log verify --url` passes. About 15 s.
    @Test func sigtermHandsTheLeaseOver() async throws {
        try await expectPasses("handover")
    }

    /// pg_dump, pg_restore into a fresh database, `vouch db migrate` and a node on it: `vouch log verify
    /// --checkpoint PUBLISHED` passes, the codes verify, issuing resumes. An older dump restored instead is
    /// caught by the same check, and once it grew, check-receipt calls a later code a lie. About 15 s.
    @Test func backupAndRestore() async throws {
        try await expectPasses("restore")
    }
}
