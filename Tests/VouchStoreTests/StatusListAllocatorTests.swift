import Foundation
import Testing
import VouchCore
import VouchCrypto
@testable import VouchStore

/// Status slot allocation on both stores: random, never reused, the next list published before use.
///
/// Where the backends differ by design: on SQLite one allocator per database keeps the used slots in memory, so
/// after a restart a reserved but never committed slot is free again; on PostgreSQL each node claims batches of
/// random slots in `status_slots` ahead of use, so "used" counts claims and a claimed slot is never offered again.
@Suite("StatusListAllocator")
struct StatusListAllocatorTests {
    static let prefix = "https://issuer.test/v1/status/"

    /// Records attestations in the reserved slots, as issuance does after signing.
    static func commit(_ allocations: [StatusAllocation], _ writer: IssuanceWriter) async throws {
        _ = try await writer.commitBulk(allocations.map { try Sample.attestation(statusSlot: $0.slot) })
    }

    /// A slot; on PostgreSQL waits (up to 20 s, for a machine loaded by the whole suite) while the node's pool
    /// refills in the background, which is when `reserve()` answers "no status slot is ready".
    static func reserve(_ allocator: StatusListAllocator) async throws -> StatusAllocation {
        for _ in 0..<4000 {
            do {
                return try allocator.reserve()
            } catch let error as StoreError where error.code == .database && error.reason.contains("no status slot is ready") {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        return try allocator.reserve()
    }

    static func reserve(_ count: Int, _ allocator: StatusListAllocator) async throws -> [StatusAllocation] {
        var out: [StatusAllocation] = []
        for _ in 0..<count { out.append(try await reserve(allocator)) }
        return out
    }

    @Test("indices are random, not in sequence, and spread over the list", arguments: Backend.allCases)
    func randomIndices(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let allocator = try await StatusListAllocator.make(store: fixture.store, uriPrefix: Self.prefix)
        let indices = try await Self.reserve(1000, allocator).map(\.slot.index)
        #expect(Set(indices).count == 1000)
        #expect(indices != indices.sorted(), "not handed out in order")
        let steps = zip(indices, indices.dropFirst()).filter { $1 == $0 + 1 }.count
        #expect(steps < 5, "\(steps) consecutive pairs")
        // With 1000 uniform draws from 131072, every eighth of the list is hit.
        let eighths = Set(indices.map { $0 / (StatusListAllocator.defaultListSize / 8) })
        #expect(eighths.count == 8)
        #expect(indices.allSatisfy { (0..<StatusListAllocator.defaultListSize).contains($0) })
        let used = try #require(allocator.usage?.used)
        #expect(backend == .sqlite ? used == 1000 : used >= 1000, "PostgreSQL counts the slots claimed ahead")
    }

    @Test("the reference names the list URI and the index; the next list is published too",
          arguments: Backend.allCases)
    func reference(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let allocator = try await StatusListAllocator.make(store: fixture.store, uriPrefix: Self.prefix)
        let allocation = try await Self.reserve(allocator)
        #expect(allocation.slot.list == 0)
        #expect(allocation.reference == StatusReference(index: UInt64(allocation.slot.index), uri: Self.prefix + "0"))
        #expect(allocator.listURIs == [Self.prefix + "0", Self.prefix + "1"])
    }

    @Test("allocations across a restart never reuse a slot (5,000 on SQLite, 1,200 on PostgreSQL)",
          arguments: Backend.allCases)
    func noReuseAcrossRestart(_ backend: Backend) async throws {
        // Fewer on PostgreSQL, whose writer checks and inserts item by item (a round trip each): 2,500 per round
        // took 20 s there. 600 per round still spans a claim batch (1,024) and its refill.
        let perRound = backend == .sqlite ? 2500 : 600
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        var all: [StatusSlot] = []
        for round in 0..<2 {
            // A new allocator each round, as after a restart; the old one releases its lock first.
            let allocator = try await StatusListAllocator.make(store: fixture.store, uriPrefix: Self.prefix,
                                                               listSize: 16384)
            let allocations = try await Self.reserve(perRound, allocator)
            try await Self.commit(allocations, writer)
            all += allocations.map(\.slot)
            let used = try #require(allocator.usage?.used)
            #expect(backend == .sqlite ? used == perRound * (round + 1) : used >= perRound * (round + 1))
        }
        #expect(Set(all).count == 2 * perRound)
        #expect(Set(all.map(\.list)) == [0])
        #expect(try await fixture.reader.statusSlots(list: 0).count == 2 * perRound)
    }

    @Test("the next list is published before use; a full list is followed by it; burnt reservations are not offered again",
          arguments: Backend.allCases)
    func newListWhenFull(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        let allocator = try await StatusListAllocator.make(store: fixture.store, uriPrefix: Self.prefix, listSize: 16)
        // Before the first code: the current list and the next one exist, so terminals can fetch both.
        #expect(allocator.listURIs == [Self.prefix + "0", Self.prefix + "1"])
        #expect(try await fixture.reader.statusLists().map(\.id) == [0, 1])
        let first = try await Self.reserve(16, allocator)
        #expect(Set(first.map(\.slot.index)) == Set(0..<16))
        #expect(Set(first.map(\.slot.list)) == [0])
        // Only half are committed: the rest are burnt, and the 17th goes to list 1, already published.
        try await Self.commit(Array(first.prefix(8)), writer)
        let next = try await Self.reserve(allocator)
        #expect(next.slot.list == 1)
        #expect(next.reference.uri == Self.prefix + "1")
        // ...and list 2 is now published ahead of use.
        #expect(allocator.listURIs == [Self.prefix + "0", Self.prefix + "1", Self.prefix + "2"])
        let lists = try await fixture.reader.statusLists()
        #expect(lists.map(\.id) == [0, 1, 2])
        #expect(lists.map(\.size) == [16, 16, 16])
        #expect(lists.map(\.uri) == [Self.prefix + "0", Self.prefix + "1", Self.prefix + "2"])
        #expect(try await fixture.reader.statusList(uri: Self.prefix + "1")?.id == 1)
        #expect(try await fixture.reader.statusList(id: 7) == nil)
    }

    @Test("the published statuses follow revocation, suspension and reinstatement", arguments: Backend.allCases)
    func contentsFollowState(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let writer = try fixture.writer()
        let allocator = try await StatusListAllocator.make(store: fixture.store, uriPrefix: Self.prefix, listSize: 64)
        let allocations = try await Self.reserve(3, allocator)
        let items = try allocations.map { try Sample.attestation(statusSlot: $0.slot) }
        _ = try await writer.commitBulk(items)
        _ = try await writer.revoke(id: items[0].id)
        _ = try await writer.suspend(id: items[1].id)
        var contents = try #require(try await fixture.reader.statusListContents(id: 0))
        #expect(contents.list.size == 64)
        #expect(contents.statuses.count == 64)
        #expect(contents.statuses[allocations[0].slot.index] == 1)
        #expect(contents.statuses[allocations[1].slot.index] == 2)
        #expect(contents.statuses[allocations[2].slot.index] == 0)
        #expect((0..<64).filter { contents.statuses[$0] != 0 }.count == 2)
        _ = try await writer.reinstate(id: items[1].id)
        contents = try #require(try await fixture.reader.statusListContents(id: 0))
        #expect(contents.statuses[allocations[1].slot.index] == 0)
        // The pre-published next list is all VALID; a list never created has no contents.
        let next = try #require(try await fixture.reader.statusListContents(id: 1))
        #expect((0..<next.statuses.count).allSatisfy { next.statuses[$0] == 0 })
        #expect(try await fixture.reader.statusListContents(id: 2) == nil)
    }

    @Test("concurrent reservations never collide", arguments: Backend.allCases)
    func concurrentReservations(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let allocator = try await StatusListAllocator.make(store: fixture.store, uriPrefix: Self.prefix, listSize: 1000)
        let slots = try await withThrowingTaskGroup(of: [StatusSlot].self) { group in
            for _ in 0..<8 {
                group.addTask { try await Self.reserve(250, allocator).map(\.slot) }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(slots.count == 2000)
        #expect(Set(slots).count == 2000)
        #expect(Set(slots.map(\.list)) == [0, 1])
    }

    @Test("SQLite: a second allocator is refused while the lock is held, and waits out a lock released soon after")
    func lockHeldOrReleasedSoon() async throws {
        let fixture = try await BackendFixture(.sqlite)
        let database = try #require(fixture.sqlite).database
        // The lock as another process holds it: its own open file description of the lock file.
        let other = open(database.path + "-issuer.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        #expect(other >= 0)
        #expect(flock(other, LOCK_EX | LOCK_NB) == 0)
        // The allocator sleeps between tries: on a Dispatch thread, not one of the test pool's two.
        @Sendable func openAllocator() async -> Result<StatusListAllocator, any Error> {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(returning: Result {
                        try StatusListAllocator(database: database, uriPrefix: Self.prefix, listSize: 64)
                    })
                }
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        await #expect {
            _ = try await openAllocator().get()
        } throws: { error in
            (error as? StoreError)?.reason.contains("another process is issuing from this store") == true
        }
        #expect(clock.now - start >= StatusListAllocator.lockWait, "kept trying for the whole wait")
        #expect(try await fixture.reader.statusLists().isEmpty, "a refused allocator creates no list")
        // Released 300 ms into the next try, as a child process's copy of the descriptor is closed at its exec.
        // From a Dispatch thread too: a task on the test pool once waited over 2 s for a thread under load.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { close(other) }
        let allocator = try await openAllocator().get()
        #expect(try allocator.reserve().slot.list == 0)
    }

    @Test("a nearly full list still hands out every free slot exactly once", arguments: Backend.allCases)
    func drainsAList(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        let allocator = try await StatusListAllocator.make(store: fixture.store, uriPrefix: Self.prefix, listSize: 1000)
        let indices = try await Self.reserve(1000, allocator).map(\.slot.index)
        #expect(Set(indices) == Set(0..<1000))
    }
}
