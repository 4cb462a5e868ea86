internal import Foundation
internal import PostgresNIO
internal import VouchCore
internal import VouchLog

/// ``AuditLogReader``'s queries on PostgreSQL.
///
/// The tree size a reader reports is the integrated one (`log_state.size`):
/// the size whose tiles and checkpoint exist. Entries committed since are
/// readable as entries but not yet provable.
struct PostgresLogReader: Sendable {
    let database: PostgresDatabase

    func treeSize() async throws -> Int {
        try await database.withConnection("read log") { connection in try await Self.integratedSize(connection) }
    }

    static func integratedSize(_ connection: PostgresConnection) async throws -> Int {
        guard let row = try await connection.rows("SELECT size FROM log_state WHERE id = 1").first else {
            throw StoreError(code: .corrupt, reason: "log_state has no row")
        }
        return Int(try row.decode(Int64.self))
    }

    func checkpoints(_ query: PostgresQuery) async throws -> [StoredCheckpoint] {
        try await database.withConnection("read checkpoints") { connection in
            try await connection.rows(query).map { row in
                let (size, note, created) = try row.decode((Int64, String, Int64).self)
                return StoredCheckpoint(size: Int(size), note: note, createdAt: Date(unixSeconds: created))
            }
        }
    }

    func entries(_ query: PostgresQuery) async throws -> [StoredLogEntry] {
        try await database.withConnection("read log") { connection in
            try await connection.rows(query).map { row in
                let (index, entry, leaf) = try row.decode((Int64, Data, Data).self)
                return StoredLogEntry(index: Int(index), entry: [UInt8](entry), leafHash: [UInt8](leaf))
            }
        }
    }

    func entries(in range: Range<Int>) async throws -> [StoredLogEntry] {
        try await entries("""
            SELECT idx, entry, leaf_hash FROM log_entries
            WHERE idx >= \(Int64(range.lowerBound)) AND idx < \(Int64(range.upperBound)) ORDER BY idx
            """)
    }

    func tileData(level: Int, index: Int) async throws -> [UInt8]? {
        try await database.withConnection("read tile") { connection in
            try await connection.rows(
                "SELECT hashes FROM log_tiles WHERE level = \(Int32(level)) AND idx = \(Int64(index))"
            ).first.map { [UInt8](try $0.decode(Data.self)) }
        }
    }

    /// Runs the tile code over one REPEATABLE READ snapshot, so size and tiles agree.
    func withTiles<T: Sendable>(_ body: @escaping @Sendable (StoreTileStorage, Int) throws -> T) async throws -> T {
        try await database.withConnection("read tiles") { connection in
            try await connection.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let size = try await Self.integratedSize(connection)
                let value = try await PostgresTiles().run(connection) { tiles in try body(StoreTileStorage(base: tiles), size) }
                try await connection.run("COMMIT")
                return value
            } catch {
                try? await connection.run("ROLLBACK")
                throw error
            }
        }
    }

    func audit(_ auditor: LogAuditor) async throws -> (report: AuditReport, checkpoints: [String]) {
        try await database.withConnection("audit log") { connection in
            try await connection.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let notes = try await connection.rows("SELECT note FROM checkpoints ORDER BY size").map {
                    try $0.decode(String.self)
                }
                let tiles = try await PostgresTiles.all(connection)
                let size = try await Self.integratedSize(connection)
                var audit = auditor.start(checkpoints: notes.map { Array($0.utf8) }, tiles: tiles)
                // Entries past the integrated size are not under a checkpoint yet; the audit covers the signed log.
                var next: Int64 = 0
                while next < Int64(size) {
                    let rows = try await connection.rows("""
                        SELECT entry FROM log_entries WHERE idx >= \(next) AND idx < \(Int64(size)) ORDER BY idx LIMIT 4096
                        """)
                    guard !rows.isEmpty else { break }
                    for row in rows { audit.append(entry: [UInt8](try row.decode(Data.self))) }
                    next += Int64(rows.count)
                }
                try await connection.run("COMMIT")
                return (audit.finish(), notes)
            } catch {
                try? await connection.run("ROLLBACK")
                throw error
            }
        }
    }

    func attestations(_ query: PostgresQuery) async throws -> [AttestationRecord] {
        try await database.withConnection("read attestations") { connection in
            try await connection.rows(query).map(AttestationRecord.init(postgres:))
        }
    }

    func statusLists(_ query: PostgresQuery) async throws -> [StoredStatusList] {
        try await database.withConnection("read status lists") { connection in
            try await connection.rows(query).map(Self.statusList)
        }
    }

    static func statusList(_ row: PostgresRow) throws -> StoredStatusList {
        let (id, size, uri, created) = try row.decode((Int64, Int64, String, Int64).self)
        return StoredStatusList(id: Int(id), size: Int(size), uri: uri, createdAt: Date(unixSeconds: created))
    }

    func slots(list: Int, onlyChanged: Bool) async throws -> [(index: Int, state: AttestationState)] {
        let rows = try await database.withConnection("read status slots") { connection in
            try await connection.rows(onlyChanged
                ? "SELECT status_idx, state FROM attestations WHERE status_list = \(Int64(list)) AND state != 'valid'"
                : "SELECT status_idx, state FROM attestations WHERE status_list = \(Int64(list)) ORDER BY status_idx"
            ).map { row -> Slot in
                let (index, name) = try row.decode((Int64, String).self)
                guard let state = AttestationState(rawValue: name) else {
                    throw StoreError(code: .corrupt, reason: "attestation has unknown state \(name)")
                }
                return Slot(index: Int(index), state: state)
            }
        }
        return rows.map { ($0.index, $0.state) }
    }

    private struct Slot: Sendable {
        let index: Int
        let state: AttestationState
    }
}
