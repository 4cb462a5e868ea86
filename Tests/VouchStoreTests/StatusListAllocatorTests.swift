import Foundation
import Testing
import VouchCore
import VouchCrypto
@testable import VouchStore

/// Status slot allocation: random, never reused, a new list when one fills, safe under concurrency.
@Suite("StatusListAllocator")
struct StatusListAllocatorTests {
    static let prefix = "https://issuer.test/v1/status/"

    /// Records attestations in the reserved slots, as issuance does after signing.
    static func commit(_ allocations: [StatusAllocation], _ writer: IssuanceWriter) async throws {
        _ = try await writer.commitBulk(allocations.map { try Sample.attestation(statusSlot: $0.slot) })
    }

    @Test("indices are random, not in sequence, and spread over the list")
    func randomIndices() throws {
        let fixture = try StoreFixture()
        let allocator = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix)
        let indices = try (0..<1000).map { _ in try allocator.reserve().slot.index }
        #expect(Set(indices).count == 1000)
        #expect(indices != indices.sorted(), "not handed out in order")
        let steps = zip(indices, indices.dropFirst()).filter { $1 == $0 + 1 }.count
        #expect(steps < 5, "\(steps) consecutive pairs")
        // With 1000 uniform draws from 131072, every eighth of the list is hit.
        let eighths = Set(indices.map { $0 / (StatusListAllocator.defaultListSize / 8) })
        #expect(eighths.count == 8)
        #expect(indices.allSatisfy { (0..<StatusListAllocator.defaultListSize).contains($0) })
        #expect(allocator.usage?.used == 1000)
    }

    @Test("the reference names the list URI and the index")
    func reference() throws {
        let fixture = try StoreFixture()
        let allocator = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix)
        let allocation = try allocator.reserve()
        #expect(allocation.slot.list == 0)
        #expect(allocation.reference == StatusReference(index: UInt64(allocation.slot.index), uri: Self.prefix + "0"))
        #expect(allocator.listURIs == [Self.prefix + "0", Self.prefix + "1"], "the next list is published too")
    }

    @Test("5,000 allocations across a restart never reuse a slot")
    func noReuseAcrossRestart() async throws {
        let fixture = try StoreFixture()
        let writer = try fixture.writer()
        var all: [StatusSlot] = []
        for round in 0..<2 {
            // A new allocator each round, as after a restart; the old one releases its lock first.
            let allocator = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix, listSize: 8192)
            let allocations = try (0..<2500).map { _ in try allocator.reserve() }
            try await Self.commit(allocations, writer)
            all += allocations.map(\.slot)
            #expect(allocator.usage?.used == 2500 * (round + 1))
        }
        #expect(Set(all).count == 5000)
        #expect(Set(all.map(\.list)) == [0])
        let stored = try await fixture.reader.statusSlots(list: 0)
        #expect(stored.count == 5000)
    }

    @Test("the next list is published before use; a full list is followed by it; burnt reservations are not offered again")
    func newListWhenFull() async throws {
        let fixture = try StoreFixture()
        let writer = try fixture.writer()
        let allocator = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix, listSize: 16)
        // Before the first code: the current list and the next one exist, so terminals can fetch both.
        #expect(allocator.listURIs == [Self.prefix + "0", Self.prefix + "1"])
        #expect(try await fixture.reader.statusLists().map(\.id) == [0, 1])
        let first = try (0..<16).map { _ in try allocator.reserve() }
        #expect(Set(first.map(\.slot.index)) == Set(0..<16))
        #expect(Set(first.map(\.slot.list)) == [0])
        // Only half are committed: the rest are burnt, and the 17th goes to list 1, already published.
        try await Self.commit(Array(first.prefix(8)), writer)
        let next = try allocator.reserve()
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

    @Test("a restart continues the current list, or moves on when it is full or its URI changed")
    func restartReconciles() async throws {
        let fixture = try StoreFixture()
        let writer = try fixture.writer()
        do {
            let allocator = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix, listSize: 4)
            try await Self.commit(try (0..<3).map { _ in try allocator.reserve() }, writer)
        }
        do {
            // One free slot left in list 0, and it is the one not committed.
            let allocator = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix, listSize: 4)
            let last = try allocator.reserve()
            #expect(last.slot.list == 0)
            #expect(try await fixture.reader.statusSlots(list: 0).map(\.index).contains(last.slot.index) == false)
            try await Self.commit([last], writer)
        }
        do {
            // List 0 is full: the pre-published list 1 takes over, and list 2 is published next.
            let allocator = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix, listSize: 4)
            #expect(try allocator.reserve().slot.list == 1)
            #expect(allocator.listURIs.last == Self.prefix + "2")
        }
        do {
            // A restart keeps both the current list (1) and the next (2): no list is created.
            let allocator = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix, listSize: 4)
            #expect(allocator.listURIs.count == 3)
            #expect(try allocator.reserve().slot.list == 1)
        }
        do {
            let allocator = try StatusListAllocator(database: fixture.database, uriPrefix: "https://new.test/v1/status/",
                                                    listSize: 4)
            let moved = try allocator.reserve()
            #expect(moved.slot.list == 3)
            #expect(moved.reference.uri == "https://new.test/v1/status/3")
            #expect(allocator.listURIs.suffix(2) == ["https://new.test/v1/status/3", "https://new.test/v1/status/4"])
        }
    }

    @Test("concurrent reservations never collide")
    func concurrentReservations() async throws {
        let fixture = try StoreFixture()
        let allocator = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix, listSize: 1000)
        let slots = try await withThrowingTaskGroup(of: [StatusSlot].self) { group in
            for _ in 0..<8 {
                group.addTask { try (0..<250).map { _ in try allocator.reserve().slot } }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(slots.count == 2000)
        #expect(Set(slots).count == 2000)
        #expect(Set(slots.map(\.list)) == [0, 1])
    }

    @Test("a nearly full list still hands out every free slot exactly once")
    func drainsAList() throws {
        let fixture = try StoreFixture()
        let allocator = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix, listSize: 1000)
        let indices = try (0..<1000).map { _ in try allocator.reserve().slot.index }
        #expect(Set(indices) == Set(0..<1000))
    }

    @Test("a second allocator on the same store is refused while the first lives")
    func oneAllocatorPerStore() throws {
        let fixture = try StoreFixture()
        let first = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix)
        #expect(throws: StoreError(code: .database, reason: "")) {
            _ = try StatusListAllocator(database: try fixture.reopen(), uriPrefix: Self.prefix)
        }
        _ = try first.reserve()
        #expect(throws: StoreError(code: .invalidInput, reason: "")) {
            _ = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix, listSize: 0)
        }
    }

    @Test("the published statuses follow revocation, suspension and reinstatement")
    func contentsFollowState() async throws {
        let fixture = try StoreFixture()
        let writer = try fixture.writer()
        let allocator = try StatusListAllocator(database: fixture.database, uriPrefix: Self.prefix, listSize: 64)
        let allocations = try (0..<3).map { _ in try allocator.reserve() }
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
}
