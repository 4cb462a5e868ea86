import Foundation
import Testing
import VouchCore
import VouchCrypto
@testable import VouchStore
import VouchPostgresTesting

/// Allocators started again, started together, or started wrongly, on both stores.
@Suite("StatusListAllocator restarts and nodes")
struct StatusListAllocatorRestartTests {
    static let prefix = StatusListAllocatorTests.prefix

    @Test("SQLite: a restart continues the current list, or moves on when it is full or its URI changed")
    func restartReconcilesOnSQLite() async throws {
        // SQLite only: the allocator rebuilds its free slots from the committed attestations, so a reservation
        // never committed is free again after a restart. PostgreSQL never reuses a claimed slot
        // (restartNeverReusesClaimsOnPostgres).
        let fixture = try await BackendFixture(.sqlite)
        let writer = try fixture.writer()
        func open(_ prefix: String = Self.prefix) async throws -> StatusListAllocator {
            try await StatusListAllocator.make(store: fixture.store, uriPrefix: prefix, listSize: 4)
        }
        do {
            let allocator = try await open()
            try await StatusListAllocatorTests.commit(try (0..<3).map { _ in try allocator.reserve() }, writer)
        }
        do {
            // One free slot left in list 0, and it is the one not committed.
            let allocator = try await open()
            let last = try allocator.reserve()
            #expect(last.slot.list == 0)
            #expect(try await fixture.reader.statusSlots(list: 0).map(\.index).contains(last.slot.index) == false)
            try await StatusListAllocatorTests.commit([last], writer)
        }
        do {
            // List 0 is full: the pre-published list 1 takes over, and list 2 is published next.
            let allocator = try await open()
            #expect(try allocator.reserve().slot.list == 1)
            #expect(allocator.listURIs.last == Self.prefix + "2")
        }
        do {
            // A restart keeps both the current list (1) and the next (2): no list is created.
            let allocator = try await open()
            #expect(allocator.listURIs.count == 3)
            #expect(try allocator.reserve().slot.list == 1)
        }
        do {
            let allocator = try await open("https://new.test/v1/status/")
            let moved = try allocator.reserve()
            #expect(moved.slot.list == 3)
            #expect(moved.reference.uri == "https://new.test/v1/status/3")
            #expect(allocator.listURIs.suffix(2) == ["https://new.test/v1/status/3", "https://new.test/v1/status/4"])
        }
    }

    @Test("PostgreSQL: a restarted node never gets a slot claimed before, and a new URI starts new lists")
    func restartNeverReusesClaimsOnPostgres() async throws {
        // PostgreSQL only: the counterpart of restartReconcilesOnSQLite (see there why they differ).
        let fixture = try await BackendFixture(.postgres)
        let database = try #require(fixture.postgres)
        let writer = try fixture.writer()
        func open(_ prefix: String = Self.prefix) async throws -> StatusListAllocator {
            try await StatusListAllocator.make(store: fixture.store, uriPrefix: prefix, listSize: 4)
        }
        let first = try await open()
        try await StatusListAllocatorTests.commit(try await StatusListAllocatorTests.reserve(3, first), writer)
        let claimed = Set(try await database.unsafeFetchStrings("SELECT list || ':' || idx FROM status_slots"))
        #expect(claimed.count >= 3)
        // A restart (or another node): whatever it hands out was not claimed before it started.
        let second = try await open()
        for allocation in try await StatusListAllocatorTests.reserve(3, second) {
            #expect(!claimed.contains("\(allocation.slot.list):\(allocation.slot.index)"))
        }
        #expect(try await fixture.reader.statusLists().allSatisfy { $0.uri == Self.prefix + String($0.id) })
        // The public URL changed: new lists get the new prefix, and the one after is published too. (First let
        // the two old pools' background refills end: a node still on the old URL would add lists of its own.)
        // Until no list has appeared for a whole second (500 ms once, fixed, was too short on a loaded machine).
        var newest = try #require(try await fixture.reader.statusLists().last).id
        for _ in 0..<30 {
            try await Task.sleep(for: .seconds(1))
            let now = try #require(try await fixture.reader.statusLists().last).id
            if now == newest { break }
            newest = now
        }
        let moved = try await StatusListAllocatorTests.reserve(try await open("https://new.test/v1/status/"))
        #expect(moved.slot.list == newest + 1)
        #expect(moved.reference.uri == "https://new.test/v1/status/\(newest + 1)")
        #expect(try await fixture.reader.statusList(id: newest + 2)?.uri == "https://new.test/v1/status/\(newest + 2)")
    }

    @Test("bad list sizes and URI prefixes are refused", arguments: Backend.allCases)
    func badSettings(_ backend: Backend) async throws {
        let fixture = try await BackendFixture(backend)
        for (prefix, size) in [(Self.prefix, 0), (Self.prefix, StatusListAllocator.maximumListSize + 1),
                               ("", 16), (String(repeating: "x", count: StatusListToken.maximumURILength), 16)] {
            await #expect(throws: StoreError(code: .invalidInput, reason: "")) {
                _ = try await StatusListAllocator.make(store: fixture.store, uriPrefix: prefix, listSize: size)
            }
        }
        #expect(try await fixture.reader.statusLists().isEmpty)
    }

    @Test("SQLite: a second allocator on the same store is refused while the first lives")
    func oneAllocatorPerSQLiteStore() async throws {
        // SQLite only: a lock file beside the database keeps `vouch issue` from allocating under a running
        // `vouch serve`. On PostgreSQL nodes share the database on purpose (slotsAcrossNodes).
        let fixture = try await BackendFixture(.sqlite)
        let first = try await StatusListAllocator.make(store: fixture.store, uriPrefix: Self.prefix)
        await #expect(throws: StoreError(code: .database, reason: "")) {
            _ = try await StatusListAllocator.make(store: try await fixture.reopen(), uriPrefix: Self.prefix)
        }
        _ = try first.reserve()
    }

    @Test("PostgreSQL: three allocators (three nodes started at once) never hand out a slot twice, across list roll-overs")
    func slotsAcrossNodes() async throws {
        // PostgreSQL only: on SQLite one allocator per database is the rule (oneAllocatorPerSQLiteStore).
        let fixture = try await BackendFixture(.postgres)
        let database = try #require(fixture.postgres)
        // Started at once on a new database: they race to create list 0 and claim slots of it.
        async let first = StatusListAllocator(postgres: database, uriPrefix: Self.prefix, listSize: 300)
        async let second = StatusListAllocator(postgres: database, uriPrefix: Self.prefix, listSize: 300)
        async let third = StatusListAllocator(postgres: database, uriPrefix: Self.prefix, listSize: 300)
        let nodes = try await [first, second, third]
        var slots: [StatusSlot] = []
        for round in 0..<700 {
            let taken = try await StatusListAllocatorTests.reserve(nodes[round % 3])
            #expect(taken.reference.uri == Self.prefix + String(taken.slot.list))
            slots.append(taken.slot)
        }
        #expect(Set(slots).count == slots.count, "a slot was handed out twice")
        #expect(slots.allSatisfy { (0..<300).contains($0.index) })
        #expect(Set(slots.map(\.list)).count >= 3)
        // Random, not sequential: the first 50 slots of list 0 are not 0..<50.
        #expect(slots.prefix(50).map(\.index) != Array(0..<50))
        // What the database recorded agrees, and the writer accepts the slots.
        let writer = try fixture.writer()
        _ = try await writer.commitBulk(try slots.prefix(100).map { try Sample.attestation(statusSlot: $0) })
        #expect(try await fixture.reader.statusLists().count >= 3)
    }
}
