internal import Foundation
internal import GRDB
internal import VouchCore

extension AttestationRecord {
    static func fetch(_ db: Database, id: String) throws -> AttestationRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM attestations WHERE id = ?", arguments: [id]).map(Self.init(row:))
    }

    static func fetch(_ db: Database, tokenHash: [UInt8]) throws -> AttestationRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM attestations WHERE token_hash = ?", arguments: [Data(tokenHash)])
            .map(Self.init(row:))
    }

    init(row: Row) throws {
        let stateText: String = row["state"]
        guard let state = AttestationState(rawValue: stateText) else {
            throw StoreError(code: .corrupt, reason: "attestation has unknown state \(stateText)")
        }
        let list: Int? = row["status_list"]
        let index: Int? = row["status_idx"]
        let subject: Data? = row["subject"]
        self.init(
            id: row["id"], kid: [UInt8](row["kid"] as Data), vct: AttestationType(rawValue: row["vct"]),
            tokenHash: [UInt8](row["token_hash"] as Data), issuedAt: Date(unixSeconds: row["issued_at"]),
            expiresAt: Date(unixSeconds: row["expires_at"]),
            statusSlot: list.flatMap { list in index.map { StatusSlot(list: list, index: $0) } },
            subject: subject.map { [UInt8]($0) }, state: state, logIndex: row["log_index"])
    }
}
