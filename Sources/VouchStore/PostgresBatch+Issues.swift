internal import Foundation
internal import NIOCore
internal import PostgresNIO
internal import VouchCore
internal import VouchLog

/// The common batch, new codes only, in one statement and one round trip.
///
/// The transactional path (``PostgresBatch/run(jobs:)``) costs four round
/// trips per code (a savepoint, the duplicate check, the insert, the release)
/// and three more under `log_head`'s lock (the lock, the entries, the commit).
/// Under load each round trip is a wait to be scheduled, so the lock was held
/// for most of a batch's time. Here one autocommitted statement takes the
/// lock (`UPDATE log_head`), inserts the codes with their indices and the
/// entries, and commits: the lock is held only while PostgreSQL itself works
/// and flushes, with no round trip to the node inside it.
///
/// The constraints decide duplicates, as they would between nodes: a code
/// whose id, token or status slot is taken fails the whole statement, which
/// then never happened (no index used), and the caller takes the
/// transactional path, which rejects that code alone with its reason.
extension PostgresBatch {
    /// The jobs' codes if every operation of every job issues a valid one; else nil.
    static func issuesOnly(_ jobs: [[Operation]]) -> [[PendingAttestation]]? {
        var out: [[PendingAttestation]] = []
        out.reserveCapacity(jobs.count)
        for operations in jobs {
            var items: [PendingAttestation] = []
            for operation in operations {
                guard case .issue(let item) = operation, (try? item.validate()) != nil else { return nil }
                items.append(item)
            }
            out.append(items)
        }
        return out
    }

    /// Commits the codes, or returns nil if a constraint refused one (nothing was written).
    func runIssues(_ jobs: [[PendingAttestation]]) async throws -> Result? {
        let items = jobs.flatMap { $0 }
        guard !items.isEmpty else { return nil }
        let entries = try items.map { try LogEntryCodec.issued($0) }
        let count = Int64(items.count)
        let ids = items.map(\.id)
        let kids = items.map { ByteBuffer(bytes: $0.kid) }
        let types = items.map(\.vct.rawValue)
        let tokens = items.map { ByteBuffer(bytes: $0.tokenHash) }
        let issued = items.map { Int64($0.issuedAt.unixSeconds) }
        let expires = items.map { Int64($0.expiresAt.unixSeconds) }
        // No NULLs inside bound arrays: -1 (never a valid slot) and an empty pseudonym stand for none.
        let lists = items.map { $0.statusSlot.map { Int64($0.list) } ?? -1 }
        let slots = items.map { $0.statusSlot.map { Int64($0.index) } ?? -1 }
        let subjects = items.map { ByteBuffer(bytes: $0.subject ?? []) }
        let blobs = entries.map { ByteBuffer(bytes: $0) }
        let leaves = entries.map { ByteBuffer(bytes: MerkleHash.leaf($0)) }
        let sent = ContinuousClock.now
        let row: PostgresRow?
        do {
            // `waited` is read on the database right after the row lock is granted, the last column at the end.
            row = try await connection.rows("""
                WITH head AS (
                    UPDATE log_head SET next_index = next_index + \(count) WHERE id = 1
                    RETURNING next_index - \(count) AS base,
                              extract(epoch FROM clock_timestamp() - statement_timestamp())::float8 AS waited),
                codes AS (
                    INSERT INTO attestations (id, kid, vct, token_hash, issued_at, expires_at, status_list,
                                              status_idx, subject, state, log_index)
                    SELECT v.id, v.kid, v.vct, v.token, v.issued, v.expires, NULLIF(v.list, -1), NULLIF(v.slot, -1),
                           NULLIF(v.subject, ''::bytea), 'valid', head.base + v.ord - 1
                    FROM head, unnest(\(ids)::text[], \(kids)::bytea[], \(types)::text[], \(tokens)::bytea[],
                                      \(issued)::bigint[], \(expires)::bigint[], \(lists)::bigint[],
                                      \(slots)::bigint[], \(subjects)::bytea[])
                         WITH ORDINALITY AS v(id, kid, vct, token, issued, expires, list, slot, subject, ord)
                    RETURNING 1),
                logged AS (
                    INSERT INTO log_entries (idx, entry, leaf_hash)
                    SELECT head.base + e.ord - 1, e.entry, e.leaf
                    FROM head, unnest(\(blobs)::bytea[], \(leaves)::bytea[]) WITH ORDINALITY AS e(entry, leaf, ord)
                    RETURNING 1)
                SELECT base, waited, (SELECT count(*) FROM codes), (SELECT count(*) FROM logged),
                       extract(epoch FROM clock_timestamp() - statement_timestamp())::float8
                FROM head
                """).first
        } catch where Self.isRejection(error) {
            return nil
        }
        guard let row else { throw StoreError(code: .corrupt, reason: "log_head has no row") }
        let (base, waited, codes, logged, done) = try row.decode((Int64, Double, Int64, Int64, Double).self)
        guard codes == count, logged == count else {
            throw StoreError(code: .corrupt, reason: "wrote \(codes) codes and \(logged) entries for \(count)")
        }
        var drafts: [Swift.Result<[Draft], StoreError>] = []
        var position = 0
        for job in jobs {
            drafts.append(.success(job.map { item in
                defer { position += 1 }
                return .issued(id: item.id, entry: position, time: UInt64(item.issuedAt.unixSeconds),
                               tokenHash: item.tokenHash)
            }))
        }
        return Result(jobs: drafts, base: Int(base), count: items.count, lockRequested: sent,
                      lockAcquired: sent.advanced(by: .seconds(max(0, waited))),
                      statementUnderLock: max(0, done - waited))
    }
}
