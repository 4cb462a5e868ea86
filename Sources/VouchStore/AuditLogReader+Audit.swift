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
    /// Memory grows with the log (the auditor takes the entries as one
    /// array); for logs beyond a few million entries a streaming auditor is
    /// the better tool.
    ///
    /// - Parameter auditor: Configured with the log's origin and note verifier keys.
    /// - Returns: The auditor's report; problems are findings, not errors.
    /// - Throws: `StoreError.database` only if the store cannot be read.
    public func audit(with auditor: LogAuditor) throws -> AuditReport {
        try StoreError.wrap("audit log") {
            try database.pool.read { db in
                let entries = try Data.fetchAll(db, sql: "SELECT entry FROM log_entries ORDER BY idx").map { [UInt8]($0) }
                let notes = try String.fetchAll(db, sql: "SELECT note FROM checkpoints ORDER BY size")
                return auditor.audit(entries: entries, checkpoints: notes, tiles: SQLiteTileStorage(db))
            }
        }
    }
}
