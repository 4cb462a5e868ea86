internal import Foundation
internal import NIOCore
internal import PostgresNIO
internal import VouchCore
internal import VouchLog

/// The body of one group-commit transaction on PostgreSQL.
///
/// Each job runs in its own savepoint and writes its rows without log
/// indices; only then does the batch take `log_head`'s row lock, give the
/// surviving entries consecutive indices from `next_index`, insert them, fill
/// in the rows' `log_index` and move `next_index`, all in one statement, and
/// commit. So the lock, which every node's writer takes, is held for that
/// statement and the commit, and a batch that rolls back never consumed an
/// index. Receipts are signed after the commit (their index is known; nothing
/// stores them). Batches of new codes only take a shorter path still
/// (PostgresBatch+Issues.swift).
struct PostgresBatch {
    /// An operation's outcome whose log indices are positions in the batch's entries until the lock is taken.
    indirect enum Draft: Sendable {
        case issued(id: String, entry: Int, time: UInt64, tokenHash: [UInt8])
        case transitioned(id: String, previous: AttestationState, state: AttestationState, slot: StatusSlot?, entry: Int?)
        case keyLogged(entry: Int)
        case keyFound(index: Int)
        case walletOpened(id: String)
        case walletRefreshed(id: String)
        case walletRevoked(id: String, wasRevoked: Bool, changes: [Draft])

        func resolve(base: Int, _ receipts: ReceiptSigner) throws -> OperationOutcome {
            switch self {
            case .issued(let id, let entry, let time, let tokenHash):
                return .issued(id: id, index: base + entry,
                               receipt: try receipts.sign(index: base + entry, time: time, tokenHash: tokenHash))
            case .transitioned(let id, let previous, let state, let slot, let entry):
                return .transitioned(id: id, previous: previous, state: state, slot: slot, index: entry.map { base + $0 })
            case .keyLogged(let entry): return .keyLogged(index: base + entry)
            case .keyFound(let index): return .keyLogged(index: index)
            case .walletOpened(let id): return .walletOpened(id: id)
            case .walletRefreshed(let id): return .walletRefreshed(id: id)
            case .walletRevoked(let id, let wasRevoked, let changes):
                return .walletRevoked(id: id, wasRevoked: wasRevoked,
                                      changes: try changes.map { try $0.resolve(base: base, receipts) })
            }
        }
    }

    /// What the batch appends: entries in order, and the rows that point at them.
    struct Pending: Sendable {
        var entries: [[UInt8]] = []
        var attestationIndex: [(id: String, entry: Int)] = []
        var receiptKeyIndex: [(keyHash: [UInt8], entry: Int)] = []
        /// Status lists whose contents change in this batch (their version moves under the sequencing lock).
        var changedLists: Set<Int> = []

        mutating func append(_ entry: [UInt8]) -> Int {
            entries.append(entry)
            return entries.count - 1
        }
    }

    /// The batch's result: per job its drafts or its rejection, the first index, and how long the lock was held.
    struct Result: Sendable {
        var jobs: [Swift.Result<[Draft], StoreError>]
        var base: Int
        var count: Int
        /// When the row lock was requested and when it was granted (nil if nothing was appended).
        var lockRequested: ContinuousClock.Instant?
        var lockAcquired: ContinuousClock.Instant?
        /// Seconds from the grant to the end of the sequencing statement, on the database's clock.
        var statementUnderLock: Double?
    }

    let connection: PostgresConnection

    /// Runs every job, then sequences. Called inside BEGIN ... COMMIT; the caller commits, and measures the
    /// lock's wait (requested to acquired) and hold (acquired to the end of its commit).
    func run(jobs: [[Operation]]) async throws -> Result {
        var pending = Pending()
        var results: [Swift.Result<[Draft], StoreError>] = []
        for operations in jobs {
            var local = pending
            try await connection.run("SAVEPOINT job")
            do {
                var drafts: [Draft] = []
                for operation in operations {
                    drafts.append(try await apply(operation, &local))
                }
                try await connection.run("RELEASE SAVEPOINT job")
                pending = local
                results.append(.success(drafts))
            } catch let error where Self.isRejection(error) {
                try await connection.run("ROLLBACK TO SAVEPOINT job")
                results.append(.failure(PostgresDatabase.converting(error, "rejected")))
            }
        }
        guard !pending.entries.isEmpty else {
            return Result(jobs: results, base: 0, count: 0, lockRequested: nil, lockAcquired: nil)
        }
        let requested = ContinuousClock.now
        let (base, acquired, underLock) = try await sequence(pending)
        return Result(jobs: results, base: base, count: pending.entries.count, lockRequested: requested,
                      lockAcquired: acquired, statementUnderLock: underLock)
    }

    /// Takes the log's next index under its row lock and writes the batch's entries there, in one statement.
    ///
    /// `UPDATE log_head` takes the row lock that every node's writer takes, so no round trip to the node
    /// happens between getting the lock and the commit but the commit itself. `waited` is read on the
    /// database right after the lock is granted, and the statement's end last. Under the lock every batch is in one order, so the
    /// status_list_versions row locks cannot deadlock; the log_index references are checked at commit.
    private func sequence(_ pending: Pending) async throws
        -> (base: Int, acquired: ContinuousClock.Instant, underLock: Double) {
        let count = Int64(pending.entries.count)
        let entries = pending.entries.map { ByteBuffer($0) }
        let leaves = pending.entries.map { ByteBuffer(MerkleHash.leaf($0)) }
        let ids = pending.attestationIndex.map(\.id)
        let positions = pending.attestationIndex.map { Int64($0.entry) }
        let keys = pending.receiptKeyIndex.map { ByteBuffer($0.keyHash) }
        let keyPositions = pending.receiptKeyIndex.map { Int64($0.entry) }
        let lists = pending.changedLists.sorted().map(Int64.init)
        let sent = ContinuousClock.now
        guard let row = try await connection.rows("""
            WITH head AS (
                UPDATE log_head SET next_index = next_index + \(count) WHERE id = 1
                RETURNING next_index - \(count) AS base,
                          extract(epoch FROM clock_timestamp() - statement_timestamp())::float8 AS waited),
            entries AS (
                INSERT INTO log_entries (idx, entry, leaf_hash)
                SELECT head.base + e.ord - 1, e.entry, e.leaf
                FROM head, unnest(\(entries)::bytea[], \(leaves)::bytea[]) WITH ORDINALITY AS e(entry, leaf, ord)
                RETURNING 1),
            codes AS (
                UPDATE attestations a SET log_index = head.base + v.pos
                FROM head, unnest(\(ids)::text[], \(positions)::bigint[]) AS v(id, pos) WHERE a.id = v.id RETURNING 1),
            receipt AS (
                UPDATE receipt_keys r SET log_index = head.base + v.pos
                FROM head, unnest(\(keys)::bytea[], \(keyPositions)::bigint[]) AS v(hash, pos) WHERE r.key_hash = v.hash
                RETURNING 1),
            versions AS (
                INSERT INTO status_list_versions (list_id, version) SELECT l, 1 FROM unnest(\(lists)::bigint[]) AS l
                ON CONFLICT (list_id) DO UPDATE SET version = status_list_versions.version + 1 RETURNING 1)
            SELECT base, waited, (SELECT count(*) FROM entries) + (SELECT count(*) FROM codes)
                       + (SELECT count(*) FROM receipt) + (SELECT count(*) FROM versions),
                   extract(epoch FROM clock_timestamp() - statement_timestamp())::float8
            FROM head
            """).first else {
            throw StoreError(code: .corrupt, reason: "log_head has no row")
        }
        // The counts are read only so that every part runs before the statement's end is timed.
        let (base, waited, _, done) = try row.decode((Int64, Double, Int64, Double).self)
        return (Int(base), sent.advanced(by: .seconds(max(0, waited))), max(0, done - waited))
    }

    static func isRejection(_ error: any Error) -> Bool {
        let code = PostgresDatabase.converting(error, "").code
        return [.invalidInput, .duplicate, .notFound, .invalidTransition, .expired, .rateLimited].contains(code)
    }

    private func apply(_ operation: Operation, _ pending: inout Pending) async throws -> Draft {
        switch operation {
        case .issue(let item):
            return try await issue(item, &pending)
        case .transition(let id, let target, let time):
            return try await transition(id: id, to: target, time: time, &pending)
        case .key(let event):
            return .keyLogged(entry: pending.append(try LogEntryCodec.key(event)))
        case .receiptKey(let event):
            return try await receiptKey(event, &pending)
        case .openWallet(let opening):
            return try await openWallet(opening)
        case .walletCode(let code, let wallet):
            return try await walletCode(code, wallet: wallet, &pending)
        case .refreshWallet(let refresh):
            return try await refreshWallet(refresh)
        case .revokeWallet(let id, let time):
            return try await revokeWallet(id: id, time: time, &pending)
        }
    }

    func issue(_ item: PendingAttestation, _ pending: inout Pending) async throws -> Draft {
        try item.validate()
        let id = item.id
        let list = item.statusSlot.map { Int64($0.list) }, index = item.statusSlot.map { Int64($0.index) }
        // One round trip for the three checks (the unique constraints would catch a race between nodes too).
        guard let found = try await connection.rows("""
            SELECT EXISTS (SELECT 1 FROM attestations WHERE id = \(id)),
                   EXISTS (SELECT 1 FROM attestations WHERE token_hash = \(Data(item.tokenHash))),
                   EXISTS (SELECT 1 FROM attestations WHERE status_list = \(list) AND status_idx = \(index))
            """).first else { throw StoreError(code: .corrupt, reason: "no answer to the duplicate check") }
        let (sameID, sameToken, sameSlot) = try found.decode((Bool, Bool, Bool).self)
        if sameID { throw StoreError(code: .duplicate, reason: "attestation \(id) is already recorded") }
        if sameToken { throw StoreError(code: .duplicate, reason: "a token with the same hash is already recorded") }
        if sameSlot, let list, let index {
            throw StoreError(code: .duplicate, reason: "status slot \(list)/\(index) is already used")
        }
        let entry = pending.append(try LogEntryCodec.issued(item))
        try await connection.run("""
            INSERT INTO attestations (id, kid, vct, token_hash, issued_at, expires_at, status_list, status_idx,
                                      subject, state)
            VALUES (\(id), \(Data(item.kid)), \(item.vct.rawValue), \(Data(item.tokenHash)),
                    \(item.issuedAt.unixSeconds), \(item.expiresAt.unixSeconds), \(list), \(index),
                    \(item.subject.map { Data($0) }), 'valid')
            """)
        pending.attestationIndex.append((id, entry))
        return .issued(id: id, entry: entry, time: UInt64(item.issuedAt.unixSeconds), tokenHash: item.tokenHash)
    }

    /// Appends a receipt key's `key_added` entry once per key, even when two nodes start at once.
    private func receiptKey(_ event: KeyEvent, _ pending: inout Pending) async throws -> Draft {
        let hash = Data(event.certificateHash)
        let inserted = try await connection.run(
            "INSERT INTO receipt_keys (key_hash) VALUES (\(hash)) ON CONFLICT (key_hash) DO NOTHING RETURNING 1")
        if inserted == 0 {
            let row = try await connection.rows("SELECT log_index FROM receipt_keys WHERE key_hash = \(hash)").first
            guard let index = try row?.decode(Int64?.self) else {
                throw StoreError(code: .corrupt, reason: "receipt key row without its log entry")
            }
            return .keyFound(index: Int(index))
        }
        let entry = pending.append(try LogEntryCodec.key(event))
        pending.receiptKeyIndex.append((event.certificateHash, entry))
        return .keyLogged(entry: entry)
    }

    func transition(id: String, to target: AttestationState, time: Date, _ pending: inout Pending) async throws -> Draft {
        // FOR UPDATE: two nodes revoking the same code at once log it once.
        guard let row = try await connection.rows("SELECT * FROM attestations WHERE id = \(id) FOR UPDATE").first else {
            throw StoreError(code: .notFound, reason: "no attestation \(id)")
        }
        let record = try AttestationRecord(postgres: row)
        let previous = record.state
        if previous == target {
            return .transitioned(id: id, previous: previous, state: previous, slot: record.statusSlot, entry: nil)
        }
        guard previous != .revoked else {
            throw StoreError(code: .invalidTransition, reason: "attestation \(id) is revoked; revocation is final")
        }
        try await connection.run("UPDATE attestations SET state = \(target.rawValue) WHERE id = \(id)")
        let entry = pending.append(try LogEntryCodec.transition(record, to: target, time: time))
        if let slot = record.statusSlot { pending.changedLists.insert(slot.list) }
        return .transitioned(id: id, previous: previous, state: target, slot: record.statusSlot, entry: entry)
    }
}
