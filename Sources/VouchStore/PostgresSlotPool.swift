internal import Foundation
internal import PostgresNIO
internal import Synchronization
internal import VouchCore
internal import VouchCrypto

/// Status-list slots for one node of several sharing PostgreSQL.
///
/// A slot is random (format.md §4: its position must not tell when the code
/// was issued) and unique across nodes: a node claims a batch of random free
/// slots with `INSERT INTO status_slots ... ON CONFLICT DO NOTHING RETURNING`
/// (the primary key decides between nodes), keeps them in memory and hands
/// them out without a round trip. A claimed slot is never claimed again, even
/// if the node dies before using it: slots are never reused. The pool refills
/// in the background below a low-water mark. A burst that empties it waits
/// for the refill in flight (``reserve(count:)``, in `PostgresSlotPool+Bursts.swift`);
/// a node whose refill fails (the database gone) answers "unavailable" rather
/// than guess a slot.
final class PostgresSlotPool: Sendable {
    struct State: Sendable {
        var free: [StatusAllocation] = []
        var refilling = false
        var lists: [Int: String] = [:]
        var current: (list: Int, claimed: Int)?
        /// Why the last refill failed (nil once one succeeds), for the error a reservation gives while the pool is empty.
        var lastFailure: String?
        /// Refills finished so far; a waiter wakes when it moves.
        var refills = 0
        /// Reservations waiting for the refill in flight, by a number of their own (for their deadline).
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    let database: PostgresDatabase
    let prefix: String
    let listSize: Int
    let batch: Int
    let now: @Sendable () -> Date
    let state = Mutex(State())

    private init(database: PostgresDatabase, prefix: String, listSize: Int, now: @escaping @Sendable () -> Date) {
        self.database = database
        self.prefix = prefix
        self.listSize = listSize
        self.batch = min(1024, listSize)
        self.now = now
    }

    static func open(_ database: PostgresDatabase, prefix: String, listSize: Int,
                     now: @escaping @Sendable () -> Date) async throws -> PostgresSlotPool {
        let pool = PostgresSlotPool(database: database, prefix: prefix, listSize: listSize, now: now)
        // Nodes starting together on a new database race to create list 0; a lost race is retried.
        var attempt = 1
        while true {
            do {
                try await pool.refill()
                return pool
            } catch let error as StoreError where error.code == .database && attempt < 5 {
                try await Task.sleep(for: .milliseconds(50 * attempt))
                attempt += 1
            }
        }
    }

    /// A claimed slot; starts a refill when few are left. Fails at once when the pool is empty: callers that
    /// can wait use ``reserve(count:)``.
    func reserve() throws -> StatusAllocation {
        let (slot, refill) = state.withLock { state -> (StatusAllocation?, Bool) in
            let slot = state.free.popLast()
            return (slot, Self.markRefill(&state, batch: batch, short: slot == nil ? 1 : 0))
        }
        if refill { startRefill() }
        guard let slot else {
            let why = state.withLock { $0.lastFailure } ?? "the pool is refilling"
            throw StoreError(code: .database, reason: "no status slot is ready: \(why)")
        }
        return slot
    }

    var usage: (list: Int, used: Int, size: Int)? {
        state.withLock { state in state.current.map { ($0.list, $0.claimed, listSize) } }
    }

    var listURIs: [String] {
        state.withLock { state in state.lists.sorted { $0.key < $1.key }.map(\.value) }
    }

    /// Claims up to ``batch`` random free slots of the newest list that has room, creating lists as they fill.
    func refill(alreadyMarked: Bool = false) async throws {
        defer { state.withLock { $0.refilling = false } }
        let prefix = prefix, size = listSize, want = batch, created = now().unixSeconds
        let randoms = try (0..<want * 2).map { _ in try Self.random(below: size) }
        let (list, claimed, used, lists) = try await database.transaction("claim status slots") { connection in
            var (list, used) = try await Self.currentList(connection, prefix: prefix, size: size, created: created)
            if used >= size {
                // The next list exists already (published before use); the one after it is created now.
                list = try await Self.createList(connection, after: list, prefix: prefix, size: size, created: created)
                used = try await Self.claimedCount(connection, list: list)
                _ = try await Self.createList(connection, after: list, prefix: prefix, size: size, created: created)
            }
            let free = size - used
            let candidates: [Int64]
            if free * 8 >= size {
                // At most `want` distinct draws, taken in the order drawn: claiming all the draws and keeping the
                // first `want` rows returned (in index order) gave each batch only the lowest indices of the
                // list, so an index told when its code was issued. Sorted: nodes claiming at once take the
                // keys' locks in one order, so they cannot deadlock.
                var seen = Set<Int64>()
                var drawn: [Int64] = []
                for random in randoms where drawn.count < want && seen.insert(Int64(random)).inserted {
                    drawn.append(Int64(random))
                }
                candidates = drawn.sorted()
            } else {
                // Nearly full: pick among the free slots directly.
                candidates = try await connection.rows("""
                    SELECT g FROM generate_series(0, \(Int64(size - 1))) AS g
                    WHERE NOT EXISTS (SELECT 1 FROM status_slots s WHERE s.list = \(Int64(list)) AND s.idx = g)
                    ORDER BY random() LIMIT \(Int64(want))
                    """).map { try $0.decode(Int64.self) }.sorted()
            }
            var claimed: [Int] = []
            for row in try await connection.rows("""
                INSERT INTO status_slots (list, idx, claimed_at)
                SELECT \(Int64(list)), c, \(created) FROM unnest(\(candidates)::bigint[]) AS c
                ON CONFLICT DO NOTHING RETURNING idx
                """) {
                claimed.append(Int(try row.decode(Int64.self)))
                if claimed.count == want { break }
            }
            var lists: [Int: String] = [:]
            for row in try await connection.rows("SELECT id, uri FROM status_lists ORDER BY id") {
                let (id, uri) = try row.decode((Int64, String).self)
                lists[Int(id)] = uri
            }
            return (list, claimed, used + claimed.count, lists)
        }
        guard let uri = lists[list] else { throw StoreError(code: .corrupt, reason: "status list \(list) vanished") }
        let allocations = claimed.shuffled().map {
            StatusAllocation(slot: StatusSlot(list: list, index: $0), reference: StatusReference(index: UInt64($0), uri: uri))
        }
        state.withLock { state in
            state.free.insert(contentsOf: allocations, at: 0)
            state.lists = lists
            state.current = (list, used)
        }
    }

    /// The list to claim from and how many of its slots are claimed; the list after it always exists too.
    ///
    /// As on SQLite (``StatusListAllocator``), the next list is created, empty, before any code points into
    /// it, so terminals fetch it in their regular syncs before the first such code reaches a till. The
    /// current list is the older of the two newest when both have this prefix and it has room, else the
    /// newest; a new prefix (the public URL changed) starts a new list.
    private static func currentList(_ connection: PostgresConnection, prefix: String, size: Int,
                                    created: Int64) async throws -> (Int, Int) {
        var newest: [(id: Int, matches: Bool)] = []
        for row in try await connection.rows("SELECT id, uri FROM status_lists ORDER BY id DESC LIMIT 2") {
            let (id, uri) = try row.decode((Int64, String).self)
            newest.append((Int(id), uri == prefix + String(id)))
        }
        let current: Int
        if let latest = newest.first, latest.matches {
            if newest.count == 2, newest[1].matches, try await claimedCount(connection, list: newest[1].id) < size {
                current = newest[1].id
            } else {
                current = latest.id
            }
        } else {
            // A new store, or the public URL changed: new lists get the new prefix.
            current = try await createList(connection, after: newest.first?.id ?? -1, prefix: prefix, size: size,
                                           created: created)
        }
        _ = try await createList(connection, after: current, prefix: prefix, size: size, created: created)
        // Counted here even for a list just created: another node may have created it and claimed from it.
        return (current, try await claimedCount(connection, list: current))
    }

    /// How many slots of `list` are claimed, by any node.
    private static func claimedCount(_ connection: PostgresConnection, list: Int) async throws -> Int {
        Int(try await connection.rows(
            "SELECT count(*) FROM status_slots WHERE list = \(Int64(list))").first?.decode(Int64.self) ?? 0)
    }

    /// Records list `after + 1` unless another node just did; returns the newest list.
    private static func createList(_ connection: PostgresConnection, after: Int, prefix: String, size: Int,
                                   created: Int64) async throws -> Int {
        let id = Int64(after + 1)
        try await connection.run("""
            INSERT INTO status_lists (id, size, uri, created_at) VALUES (\(id), \(Int64(size)), \(prefix + String(id)), \(created))
            ON CONFLICT DO NOTHING
            """)
        return Int(id)
    }

    private static func random(below bound: Int) throws -> Int {
        let bytes = try SecureRandom.bytes(count: 8)
        let value = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int(value % UInt64(bound))
    }
}
