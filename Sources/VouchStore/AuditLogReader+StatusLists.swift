public import Foundation
internal import GRDB
internal import PostgresNIO
public import VouchCore

/// A status list as recorded by ``StatusListAllocator``.
public struct StoredStatusList: Sendable, Hashable {
    /// The list number (the `{list}` of `GET /v1/status/{list}`).
    public let id: Int
    /// Its number of entries.
    public let size: Int
    /// The URI its attestations carry, the `sub` of its Status List Token.
    public let uri: String
    /// When it was created.
    public let createdAt: Date
}

extension AuditLogReader {
    /// Every status list, in increasing id.
    public func statusLists() async throws -> [StoredStatusList] {
        if let postgres { return try await postgres.statusLists("SELECT id, size, uri, created_at FROM status_lists ORDER BY id") }
        return try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM status_lists ORDER BY id").map(Self.statusList)
        }
    }

    /// The status list with this number, if there is one.
    public func statusList(id: Int) async throws -> StoredStatusList? {
        if let postgres {
            return try await postgres.statusLists("SELECT id, size, uri, created_at FROM status_lists WHERE id = \(Int64(id))").first
        }
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM status_lists WHERE id = ?", arguments: [id]).map(Self.statusList)
        }
    }

    /// The status list whose URI this is, if it is one of ours.
    public func statusList(uri: String) async throws -> StoredStatusList? {
        if let postgres {
            return try await postgres.statusLists("SELECT id, size, uri, created_at FROM status_lists WHERE uri = \(uri)").first
        }
        return try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM status_lists WHERE uri = ?", arguments: [uri]).map(Self.statusList)
        }
    }

    /// A list and the statuses it must publish now, read in one snapshot.
    ///
    /// Every slot is 0 (valid) unless its attestation is revoked (1) or
    /// suspended (2); unused slots are 0 too, so a new allocation never
    /// changes the bits.
    ///
    /// - Returns: `nil` when there is no such list.
    /// - Throws: `StoreError.corrupt` for a slot outside its list.
    public func statusListContents(id: Int) async throws -> (list: StoredStatusList, statuses: StatusList)? {
        if let postgres {
            guard let record = try await statusList(id: id) else { return nil }
            var statuses = StatusList(count: record.size, bits: StatusListToken.bits)
            for slot in try await postgres.slots(list: id, onlyChanged: true) {
                guard slot.index >= 0, slot.index < record.size else {
                    throw StoreError(code: .corrupt, reason: "status slot \(id)/\(slot.index) is outside its list")
                }
                statuses[slot.index] = slot.state.statusValue
            }
            return (list: record, statuses: statuses)
        }
        return try await read { db -> (list: StoredStatusList, statuses: StatusList)? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM status_lists WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let record = Self.statusList(row)
            var statuses = StatusList(count: record.size, bits: StatusListToken.bits)
            let rows = try Row.fetchCursor(
                db, sql: "SELECT status_idx, state FROM attestations WHERE status_list = ? AND state != 'valid'",
                arguments: [id])
            while let row = try rows.next() {
                let index: Int = row["status_idx"]
                let name: String = row["state"]
                guard let state = AttestationState(rawValue: name) else {
                    throw StoreError(code: .corrupt, reason: "attestation has unknown state \(name)")
                }
                guard index >= 0, index < record.size else {
                    throw StoreError(code: .corrupt, reason: "status slot \(id)/\(index) is outside its list")
                }
                statuses[index] = state.statusValue
            }
            return (list: record, statuses: statuses)
        }
    }

    private static func statusList(_ row: Row) -> StoredStatusList {
        StoredStatusList(id: row["id"], size: row["size"], uri: row["uri"],
                         createdAt: Date(unixSeconds: row["created_at"]))
    }
}
