internal import Foundation
internal import GRDB
public import VouchLog

extension AuditLogReader {
    /// Runs VouchLog's auditor over the whole stored log (`vouch log verify`).
    ///
    /// Entries, every checkpoint and the tiles come from one snapshot, so a
    /// writer committing meanwhile cannot make a consistent log look broken.
    /// The auditor recomputes the tree from the entries, checks every
    /// checkpoint's signature and root, and compares each stored tile hash.
    ///
    /// Entries are streamed from a cursor, so memory stays O(log n) in the
    /// number of entries (the checkpoint notes are held, a few hundred bytes
    /// each). Problem positions refer to the checkpoints in increasing size,
    /// as ``checkpoints(after:limit:)`` lists them.
    ///
    /// - Parameter auditor: Configured with the log's origin and note verifier keys.
    /// - Returns: The auditor's report; problems are findings, not errors.
    /// - Throws: `StoreError.database` only if the store cannot be read.
    public func audit(with auditor: LogAuditor) throws -> AuditReport {
        try auditWithCheckpoints(auditor).report
    }

    /// Runs ``audit(with:)`` and also returns the checkpoint notes it audited,
    /// in the order that problem positions (`AuditProblem.checkpoint`) index.
    public func auditWithCheckpoints(_ auditor: LogAuditor) throws -> (report: AuditReport, checkpoints: [String]) {
        let database = try sqlite("audit log")
        return try StoreError.wrap("audit log") {
            try database.pool.read { db in
                let notes = try String.fetchAll(db, sql: "SELECT note FROM checkpoints ORDER BY size")
                var audit = auditor.start(checkpoints: notes.map { Array($0.utf8) }, tiles: SQLiteTileStorage(db))
                let entries = try Data.fetchCursor(db, sql: "SELECT entry FROM log_entries ORDER BY idx")
                while let entry = try entries.next() {
                    audit.append(entry: [UInt8](entry))
                }
                return (audit.finish(), notes)
            }
        }
    }

    /// The audit on either store (on PostgreSQL: the integrated log, from one snapshot).
    public func audit(using auditor: LogAuditor) async throws -> AuditReport {
        try await auditWithCheckpoints(using: auditor).report
    }

    /// ``auditWithCheckpoints(_:)`` on either store.
    public func auditWithCheckpoints(using auditor: LogAuditor) async throws -> (report: AuditReport, checkpoints: [String]) {
        if let postgres { return try await postgres.audit(auditor) }
        return try auditWithCheckpoints(auditor)
    }
}
