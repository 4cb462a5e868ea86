public import Foundation
internal import GRDB
internal import Synchronization
public import VouchCore
internal import VouchCrypto

/// A status slot reserved for one attestation, and the `status` claim that points at it.
public struct StatusAllocation: Sendable, Hashable {
    /// Where the attestation's state is kept (``PendingAttestation/statusSlot``).
    public let slot: StatusSlot
    /// What the token says (`{"status_list": {"idx", "uri"}}`).
    public let reference: StatusReference
}

/// Hands out status list slots at random among the unused slots of the current list (format.md §4).
///
/// A slot is inside the signed token, so it is reserved before signing and
/// recorded only when the attestation commits. Reservations are kept in
/// memory: the allocator loads the used slots of the current list from the
/// store when it starts, and from then on is the only one that hands out
/// slots of that list, so concurrent issuance never gets the same slot twice.
/// A reservation that is never committed (signing or the commit failed) is
/// burnt: this allocator never offers it again. After a restart it is free
/// once more, which is safe because no token carrying it was ever released
/// (a token leaves the issuer only after its commit).
///
/// Indices are drawn with OpenSSL's DRBG, uniformly among the unused slots,
/// so an index says nothing about when an attestation was issued. Lists are
/// large (``defaultListSize``; operators should keep at least 100,000) so that
/// fetching one reveals nothing about which attestation a terminal checks.
///
/// The list after the current one always exists already, empty, and is
/// published with the others: terminals fetch it during their regular syncs,
/// long before the first code that points into it is shown at a till. When
/// the current list is full, that next list takes over and a new next one is
/// created. (Without this, every code from a brand-new list would read
/// "status unavailable" at the checkout until the terminals' next sync.)
///
/// One allocator per database: it holds an exclusive lock on a file beside
/// the database for its lifetime, so a second one (`vouch issue` on the data
/// directory of a running `vouch serve`) fails within ``lockWait`` instead of handing out
/// slots the first does not know of. Behind that, the unique index on slots
/// would still refuse a duplicate at commit.
public final class StatusListAllocator: Sendable {
    /// 2^17 entries, 32 KiB uncompressed at 2 bits.
    public static let defaultListSize = 131_072
    /// The most entries one list may have: 4 MiB at 2 bits (format.md §2).
    public static let maximumListSize = StatusList.maximumByteCount * 8 / StatusListToken.bits

    /// Entries in each new list.
    public let listSize: Int
    /// The URI of list N is `uriPrefix + N`, e.g. `https://id.example.org/v1/status/`.
    public let uriPrefix: String

    /// The SQLite store (nil on PostgreSQL, where ``PostgresSlotPool`` claims slots).
    private let database: VouchDatabase?
    private let postgres: PostgresSlotPool?
    private let now: @Sendable () -> Date
    private let state: Mutex<Inner>
    /// The descriptor holding the lock; closing it (in `deinit`) releases it.
    private let lock: Int32

    /// Opens the allocator, reconciling with the store: the newest list is
    /// continued when it has the current URI prefix and free slots.
    ///
    /// - Parameters:
    ///   - database: The store whose `status_lists` and attestations it reconciles with.
    ///   - uriPrefix: The status list URI without the list number.
    ///   - listSize: Entries per new list, 1 to ``maximumListSize``.
    ///   - now: The clock for `created_at`.
    /// - Throws: `StoreError.invalidInput` for a bad size or prefix, `.database` if the store cannot be read
    ///   or another allocator holds the lock.
    public init(database: VouchDatabase, uriPrefix: String, listSize: Int = StatusListAllocator.defaultListSize,
                now: @escaping @Sendable () -> Date = { Date() }) throws {
        guard (1...Self.maximumListSize).contains(listSize) else {
            throw StoreError(code: .invalidInput, reason: "status list size must be 1 to \(Self.maximumListSize)")
        }
        guard !uriPrefix.isEmpty, uriPrefix.utf8.count < StatusListToken.maximumURILength - 20 else {
            throw StoreError(code: .invalidInput, reason: "status list URI prefix is empty or too long")
        }
        let lockPath = database.path + "-issuer.lock"
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else {
            throw StoreError(code: .database, reason: "cannot open \(lockPath) (errno \(errno))")
        }
        guard Self.takeLock(lock) else {
            close(lock)
            throw StoreError(code: .database, reason: "another process is issuing from this store "
                + "(a running `vouch serve`?); issue through it, or stop it first")
        }
        self.lock = lock
        self.database = database
        self.postgres = nil
        self.uriPrefix = uriPrefix
        self.listSize = listSize
        self.now = now
        let prefix = uriPrefix
        var inner: Inner
        do {
            inner = try Self.load(database, prefix: prefix)
            try Self.ensureLists(&inner, create: { try Self.createList(database, prefix: prefix, size: listSize, now: now) })
        } catch {
            close(lock)  // no deinit runs for an object whose init failed
            throw error
        }
        self.state = Mutex(inner)
    }

    /// An allocator on PostgreSQL: several nodes allocate at once, each slot claimed in `status_slots` first.
    ///
    /// - Throws: As the SQLite initializer, without the lock (nodes share the database on purpose).
    public init(postgres database: PostgresDatabase, uriPrefix: String, listSize: Int = StatusListAllocator.defaultListSize,
                now: @escaping @Sendable () -> Date = { Date() }) async throws {
        guard (1...Self.maximumListSize).contains(listSize) else {
            throw StoreError(code: .invalidInput, reason: "status list size must be 1 to \(Self.maximumListSize)")
        }
        guard !uriPrefix.isEmpty, uriPrefix.utf8.count < StatusListToken.maximumURILength - 20 else {
            throw StoreError(code: .invalidInput, reason: "status list URI prefix is empty or too long")
        }
        self.lock = -1
        self.database = nil
        self.uriPrefix = uriPrefix
        self.listSize = listSize
        self.now = now
        self.state = Mutex(Inner(current: nil, next: nil, uris: []))
        self.postgres = try await PostgresSlotPool.open(database, prefix: uriPrefix, listSize: listSize, now: now)
    }

    /// The allocator for a store.
    public static func make(store: Store, uriPrefix: String, listSize: Int = StatusListAllocator.defaultListSize,
                            now: @escaping @Sendable () -> Date = { Date() }) async throws -> StatusListAllocator {
        switch store {
        case .sqlite(let database):
            try StatusListAllocator(database: database, uriPrefix: uriPrefix, listSize: listSize, now: now)
        case .postgres(let database):
            try await StatusListAllocator(postgres: database, uriPrefix: uriPrefix, listSize: listSize, now: now)
        }
    }

    deinit {
        if lock >= 0 { close(lock) }
    }

    /// How long ``takeLock(_:)`` keeps trying a lock that is held.
    static let lockWait: Duration = .seconds(2)

    /// Takes the exclusive lock on `descriptor`, trying again for up to ``lockWait`` while it is held.
    ///
    /// A lock released a moment ago can still be held for a while: every process this one starts holds a copy
    /// of each descriptor, the lock's among them, from its fork until its exec closes it (`O_CLOEXEC` acts
    /// only then), and a `vouch serve` that is stopping still holds its own. Refusing at the first try made a
    /// new allocator right after the old one closed fail while another thread started a child process.
    private static func takeLock(_ descriptor: Int32) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + lockWait
        while true {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
            guard errno == EWOULDBLOCK || errno == EINTR, clock.now < deadline else { return false }
            usleep(20_000)
        }
    }

    /// The lists to continue: the two newest, when they have the current prefix and free slots (the
    /// older is the current list, the newer the next one).
    private static func load(_ database: VouchDatabase, prefix: String) throws -> Inner {
        try StoreError.wrap("load status lists") {
            try database.pool.read { db -> Inner in
                let uris = try String.fetchAll(db, sql: "SELECT uri FROM status_lists ORDER BY id")
                var open: [State] = []
                for row in try Row.fetchAll(db, sql: "SELECT id, size, uri FROM status_lists ORDER BY id DESC LIMIT 2") {
                    let id: Int = row["id"], size: Int = row["size"], uri: String = row["uri"]
                    guard uri == prefix + String(id) else { break }
                    var state = State(list: id, uri: uri, used: SlotBitmap(size: size))
                    let indices = try Int.fetchCursor(
                        db, sql: "SELECT status_idx FROM attestations WHERE status_list = ?", arguments: [id])
                    while let index = try indices.next() {
                        if index >= 0 && index < size { state.used.insert(index) }
                    }
                    guard !state.used.isFull else { break }
                    open.insert(state, at: 0)
                }
                return Inner(current: open.first, next: open.count > 1 ? open[1] : nil, uris: uris)
            }
        }
    }

    /// Makes sure a current and a next list exist (called under the lock, or before it exists).
    private static func ensureLists(_ inner: inout Inner, create createList: () throws -> State) throws {
        func created() throws -> State {
            let list = try createList()
            inner.uris.append(list.uri)
            return list
        }
        if inner.current?.used.isFull ?? true {
            // The published next list takes over.
            let next = inner.next.flatMap { $0.used.isFull ? nil : $0 }
            inner.current = try next ?? created()
            inner.next = nil
        }
        if inner.next == nil { inner.next = try created() }
    }

    /// Reserves an unused slot, creating a new list when the current one is full.
    ///
    /// - Returns: The slot and the `status` claim for the token.
    /// - Throws: `StoreError.database` if a new list cannot be recorded,
    ///   `CryptoError` if no random bytes are available.
    public func reserve() throws -> StatusAllocation {
        if let postgres { return try postgres.reserve() }
        guard let database else { throw StoreError(code: .corrupt, reason: "allocator without a store") }
        return try state.withLock { inner in
            if inner.current?.used.isFull ?? true {
                try Self.ensureLists(&inner) {
                    try Self.createList(database, prefix: uriPrefix, size: listSize, now: now)
                }
            }
            // Mutated in place: a copy of the bitmap per reservation would cost 16 KiB.
            let index = try inner.current!.used.takeRandom()
            let current = inner.current!
            return StatusAllocation(slot: StatusSlot(list: current.list, index: index),
                                    reference: StatusReference(index: UInt64(index), uri: current.uri))
        }
    }

    /// Reserves `count` slots at once. On PostgreSQL a burst that empties the node's pool of claimed slots
    /// waits here (at most the operation timeout) for the refill in flight instead of failing; on SQLite
    /// this is ``reserve()`` `count` times.
    ///
    /// - Throws: As ``reserve()``; on PostgreSQL `StoreError.database` only when a refill failed or none
    ///   landed within the operation timeout.
    public func reserve(count: Int) async throws -> [StatusAllocation] {
        if let postgres { return try await postgres.reserve(count: count) }
        return try (0..<count).map { _ in try reserve() }
    }

    /// Returns slots that were reserved but are in no token (a request refused before signing), so a
    /// refused request uses none up. A slot of a list that is no longer current stays used.
    ///
    /// Only for slots no signed token carries: a slot handed out again must be in one token only.
    public func giveBack(_ allocations: [StatusAllocation]) {
        guard !allocations.isEmpty else { return }
        if let postgres { return postgres.giveBack(allocations) }
        state.withLock { inner in
            for allocation in allocations where inner.current?.list == allocation.slot.list {
                inner.current?.used.remove(allocation.slot.index)
            }
        }
    }

    /// The current list and how many of its slots are taken, for metrics and tests.
    public var usage: (list: Int, used: Int, size: Int)? {
        if let postgres { return postgres.usage }
        return state.withLock { $0.current.map { ($0.list, $0.used.count, $0.used.size) } }
    }

    /// The URIs of every list, oldest first: what terminals should fetch.
    public var listURIs: [String] { postgres?.listURIs ?? state.withLock { $0.uris } }

    /// Records the next list. Runs under the lock: lists are created one at a
    /// time, once per ``listSize`` issuances, so the short write is not worth
    /// releasing it for.
    private static func createList(_ database: VouchDatabase, prefix: String, size: Int,
                                   now: () -> Date) throws -> State {
        let created = now().unixSeconds
        let id = try StoreError.wrap("create status list") {
            try database.pool.write { db -> Int in
                // Above every list number in use, recorded or merely referenced.
                let next = try Int.fetchOne(db, sql: """
                    SELECT MAX(COALESCE((SELECT MAX(id) FROM status_lists), -1),
                               COALESCE((SELECT MAX(status_list) FROM attestations), -1)) + 1
                    """) ?? 0
                try db.execute(
                    sql: "INSERT INTO status_lists (id, size, uri, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [next, size, prefix + String(next), created])
                return next
            }
        }
        return State(list: id, uri: prefix + String(id), used: SlotBitmap(size: size))
    }

    private struct Inner: Sendable {
        var current: State?
        /// The empty list published ahead of use.
        var next: State?
        var uris: [String]
    }

    private struct State: Sendable {
        let list: Int
        let uri: String
        var used: SlotBitmap
    }
}

/// The used slots of one list, with uniform random choice among the free ones.
struct SlotBitmap: Sendable {
    let size: Int
    private(set) var count = 0
    private var words: [UInt64]

    init(size: Int) {
        self.size = size
        self.words = [UInt64](repeating: 0, count: (size + 63) / 64)
    }

    var isFull: Bool { count >= size }

    func contains(_ index: Int) -> Bool { words[index / 64] & (1 << UInt64(index % 64)) != 0 }

    mutating func remove(_ index: Int) {
        guard index >= 0, index < size, contains(index) else { return }
        words[index / 64] &= ~(1 << UInt64(index % 64))
        count -= 1
    }

    mutating func insert(_ index: Int) {
        guard !contains(index) else { return }
        words[index / 64] |= 1 << UInt64(index % 64)
        count += 1
    }

    /// Marks and returns a free index drawn uniformly among the free ones.
    ///
    /// While at least an eighth is free, draws until a free index comes up
    /// (8 draws expected at worst); after that, draws a rank among the free
    /// indices and walks to it, so a nearly full list costs one pass.
    mutating func takeRandom() throws -> Int {
        precondition(!isFull, "no free slot")
        let free = size - count
        if free * 8 >= size {
            while true {
                let index = try Self.random(below: size)
                if !contains(index) {
                    insert(index)
                    return index
                }
            }
        }
        var rank = try Self.random(below: free)
        for (w, word) in words.enumerated() {
            let bitsInWord = min(64, size - w * 64)
            let freeInWord = bitsInWord - (word & (bitsInWord == 64 ? ~0 : (1 << UInt64(bitsInWord)) - 1)).nonzeroBitCount
            if rank >= freeInWord {
                rank -= freeInWord
                continue
            }
            for bit in 0..<bitsInWord where word & (1 << UInt64(bit)) == 0 {
                if rank == 0 {
                    insert(w * 64 + bit)
                    return w * 64 + bit
                }
                rank -= 1
            }
        }
        preconditionFailure("free slot count out of step with the bitmap")
    }

    /// A uniform integer in `0..<bound`, by rejection (no modulo bias).
    static func random(below bound: Int) throws -> Int {
        let n = UInt64(bound)
        let limit = UInt64.max - UInt64.max % n
        while true {
            let value = try SecureRandom.bytes(count: 8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if value < limit { return Int(value % n) }
        }
    }
}
