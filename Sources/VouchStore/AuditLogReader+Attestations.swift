internal import Foundation
internal import GRDB
internal import PostgresNIO

extension AuditLogReader {
    /// The attestation with this id (hex of its cti).
    public func attestation(id: String) async throws -> AttestationRecord? {
        if let postgres { return try await postgres.attestations("SELECT * FROM attestations WHERE id = \(id)").first }
        return try await read { db in try AttestationRecord.fetch(db, id: id) }
    }

    /// The attestation whose COSE_Sign1 bytes hash to `tokenHash`.
    public func attestation(tokenHash: [UInt8]) async throws -> AttestationRecord? {
        if let postgres {
            return try await postgres.attestations("SELECT * FROM attestations WHERE token_hash = \(Data(tokenHash))").first
        }
        return try await read { db in try AttestationRecord.fetch(db, tokenHash: tokenHash) }
    }

    /// The `issued` log entry of the attestation whose token hashes to `tokenHash`.
    public func issuedEntry(tokenHash: [UInt8]) async throws -> StoredLogEntry? {
        if let postgres {
            return try await postgres.entries("""
                SELECT e.idx, e.entry, e.leaf_hash FROM attestations a
                JOIN log_entries e ON e.idx = a.log_index WHERE a.token_hash = \(Data(tokenHash))
                """).first
        }
        return try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT e.idx, e.entry, e.leaf_hash FROM attestations a
                    JOIN log_entries e ON e.idx = a.log_index WHERE a.token_hash = ?
                    """,
                arguments: [Data(tokenHash)]
            ).map(Self.entry)
        }
    }

    /// Every attestation recorded for a subject pseudonym, oldest first, so an
    /// operator can revoke "everything issued for X" knowing only X's HMAC.
    public func attestations(subject: [UInt8]) async throws -> [AttestationRecord] {
        if let postgres {
            return try await postgres.attestations(
                "SELECT * FROM attestations WHERE subject = \(Data(subject)) ORDER BY issued_at, id")
        }
        return try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM attestations WHERE subject = ? ORDER BY issued_at, id",
                arguments: [Data(subject)]
            ).map(AttestationRecord.init(row:))
        }
    }

    /// The used slots of a status list and the state each one must show,
    /// for publishing the list and for allocating unused indices.
    public func statusSlots(list: Int) async throws -> [(index: Int, state: AttestationState)] {
        if let postgres { return try await postgres.slots(list: list, onlyChanged: false) }
        let rows = try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT status_idx, state FROM attestations WHERE status_list = ? ORDER BY status_idx",
                arguments: [list]
            ).map { row -> StatusEntry in
                let state: String = row["state"]
                guard let state = AttestationState(rawValue: state) else {
                    throw StoreError(code: .corrupt, reason: "attestation has unknown state \(state)")
                }
                return StatusEntry(index: row["status_idx"], state: state)
            }
        }
        return rows.map { ($0.index, $0.state) }
    }

    private struct StatusEntry: Sendable {
        let index: Int
        let state: AttestationState
    }
}
