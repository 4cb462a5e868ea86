public import Foundation
internal import PostgresNIO
public import VouchCore

/// A signed Status List Token as stored on PostgreSQL, with the list version it shows.
public struct StoredStatusToken: Sendable, Hashable {
    public let uri: String
    public let version: Int
    public let token: [UInt8]
    public let issuedAt: Date
}

/// One signed token per change of a status list, whichever node serves it.
///
/// Every batch that changes a list's contents moves `status_list_versions`
/// (under the sequencing lock). A node asked for the list takes that row's
/// lock, and signs a new token only if the stored one shows an older version
/// or is past its freshness; otherwise it serves the stored bytes. So N nodes
/// serve the same token (one ETag) and sign once per change, and a revocation
/// made through one node is in the next token any node serves.
extension PostgresDatabase {
    /// The token to serve for a list: the stored one if it is current and fresh, else a newly signed one.
    ///
    /// - Parameters:
    ///   - isFresh: Whether a stored token may still be served (the publisher's re-sign age).
    ///   - sign: Signs the list's contents; runs under the list's row lock.
    /// - Returns: nil if there is no such list.
    public func statusToken(list id: Int, isFresh: @escaping @Sendable (StoredStatusToken) -> Bool,
                            sign: @escaping @Sendable (StoredStatusList, StatusList) throws -> (token: [UInt8], issuedAt: Date))
        async throws -> StoredStatusToken? {
        try await transaction("publish status list") { connection in
            guard let row = try await connection.rows(
                "SELECT id, size, uri, created_at FROM status_lists WHERE id = \(Int64(id))").first else { return nil }
            let list = try PostgresLogReader.statusList(row)
            try await connection.run("""
                INSERT INTO status_list_versions (list_id, version) VALUES (\(Int64(id)), 0) ON CONFLICT DO NOTHING
                """)
            let version = try await connection.rows(
                "SELECT version FROM status_list_versions WHERE list_id = \(Int64(id)) FOR UPDATE"
            ).first?.decode(Int64.self) ?? 0
            if let stored = try await connection.rows(
                "SELECT version, token, issued_at FROM status_list_tokens WHERE list_id = \(Int64(id))").first {
                let (storedVersion, token, issuedAt) = try stored.decode((Int64, Data, Int64).self)
                let current = StoredStatusToken(uri: list.uri, version: Int(storedVersion), token: [UInt8](token),
                                                issuedAt: Date(unixSeconds: issuedAt))
                if storedVersion == version, isFresh(current) { return current }
            }
            var statuses = StatusList(count: list.size, bits: StatusListToken.bits)
            for row in try await connection.rows(
                "SELECT status_idx, state FROM attestations WHERE status_list = \(Int64(id)) AND state != 'valid'") {
                let (index, name) = try row.decode((Int64, String).self)
                guard let state = AttestationState(rawValue: name), index >= 0, Int(index) < list.size else {
                    throw StoreError(code: .corrupt, reason: "status slot \(id)/\(index) is outside its list or has state \(name)")
                }
                statuses[Int(index)] = state.statusValue
            }
            let signed = try sign(list, statuses)
            try await connection.run("""
                INSERT INTO status_list_tokens (list_id, version, token, issued_at)
                VALUES (\(Int64(id)), \(version), \(Data(signed.token)), \(signed.issuedAt.unixSeconds))
                ON CONFLICT (list_id) DO UPDATE SET version = excluded.version, token = excluded.token,
                    issued_at = excluded.issued_at
                """)
            return StoredStatusToken(uri: list.uri, version: Int(version), token: signed.token, issuedAt: signed.issuedAt)
        }
    }
}
