internal import Foundation
internal import PostgresNIO
internal import VouchCore

extension AttestationRecord {
    /// Decodes a `SELECT * FROM attestations` row of the PostgreSQL store.
    init(postgres row: PostgresRow) throws {
        let columns = row.makeRandomAccess()
        let stateText = try columns["state"].decode(String.self)
        guard let state = AttestationState(rawValue: stateText) else {
            throw StoreError(code: .corrupt, reason: "attestation has unknown state \(stateText)")
        }
        let list = try columns["status_list"].decode(Int64?.self)
        let index = try columns["status_idx"].decode(Int64?.self)
        let subject = try columns["subject"].decode(Data?.self)
        self.init(
            id: try columns["id"].decode(String.self), kid: [UInt8](try columns["kid"].decode(Data.self)),
            vct: AttestationType(rawValue: try columns["vct"].decode(String.self)),
            tokenHash: [UInt8](try columns["token_hash"].decode(Data.self)),
            issuedAt: Date(unixSeconds: try columns["issued_at"].decode(Int64.self)),
            expiresAt: Date(unixSeconds: try columns["expires_at"].decode(Int64.self)),
            statusSlot: list.flatMap { list in index.map { StatusSlot(list: Int(list), index: Int($0)) } },
            subject: subject.map { [UInt8]($0) }, state: state,
            logIndex: try columns["log_index"].decode(Int64?.self).map(Int.init))
    }
}
