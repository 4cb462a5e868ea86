import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VouchCore
import VouchPostgresTesting
import VouchServer
import VouchStore

/// A burst of issuance larger than a node's pool of claimed status slots, on a real PostgreSQL: it waits for
/// the refill instead of failing, and fails (503) only when the database is gone.
@Suite("Status slot bursts on PostgreSQL")
struct PostgresSlotBurstTests {
    @Test("250 codes at once through a pool that claims 40 slots per refill: all 201, every slot distinct")
    func burstOverHTTP() async throws {
        let database = try await PostgresTestCluster.freshSetting()
        // A list of 40 slots: the pool claims 40 at a time, and the burst also spans seven lists.
        let fixture = try await ServerFixture(statusListSize: 40, databaseURL: database.text)
        defer { fixture.cleanUp() }
        let body = #"{"birth_date": "2000-01-01", "thresholds": [18]}"#
        let answers = try await fixture.application().test(.router) { client in
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for _ in 0..<250 {
                    group.addTask {
                        let response = try await client.post("/v1/attestations/age", json: body, key: fixture.adminKey)
                        let token = (response.json["attestations"] as? [[String: Any]])?.first?["token"] as? String
                        return (Int(response.status.code), token ?? response.text)
                    }
                }
                var all: [(Int, String)] = []
                for try await answer in group { all.append(answer) }
                return all
            }
        }
        let refused = answers.filter { $0.0 != 201 }
        #expect(refused.count == 0, "\(refused.count) of 250 refused, e.g. \(refused.first.map { "\($0)" } ?? "")")
        let slots = try answers.filter { $0.0 == 201 }.map { answer -> String in
            let status = try #require(try DecodedAttestation(text: answer.1).claims.status)
            return "\(status.uri)#\(status.index)"
        }
        #expect(Set(slots).count == slots.count, "a slot was handed out twice")
        #expect(fixture.services.statusLists.allocator.listURIs.count >= 7)
    }

    @Test("reserve(count:) from 30 tasks at once exceeds the pool and waits; with the database gone it fails in time")
    func burstAndOutage() async throws {
        var timeouts = PostgresTimeouts()
        timeouts.operation = 3
        timeouts.statement = 2
        let database = try await PostgresTestCluster.freshDatabase(timeouts: timeouts)
        defer { database.close() }
        let allocator = try await StatusListAllocator(postgres: database, uriPrefix: "https://issuer.test/v1/status/",
                                                      listSize: 32)
        let reserved = try await withThrowingTaskGroup(of: [StatusAllocation].self) { group in
            for _ in 0..<30 { group.addTask { try await allocator.reserve(count: 5) } }
            var all: [StatusAllocation] = []
            for try await batch in group { all += batch }
            return all
        }
        #expect(reserved.count == 150)
        #expect(Set(reserved.map(\.slot)).count == 150, "a slot was handed out twice")

        // The database refuses connections: a reservation larger than what the pool holds fails, naming why,
        // within the operation bound (and one refill's), instead of hanging; its slots go back to the pool.
        let admin = try await PostgresTestCluster.admin()
        try await PostgresTestCluster.psql(admin, "ALTER DATABASE \(database.url.database) ALLOW_CONNECTIONS false")
        try await PostgresTestCluster.psql(admin, """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database.url.database)'
            """)
        let started = ContinuousClock.now
        let error = await #expect(throws: StoreError.self) { try await allocator.reserve(count: 64) }
        #expect(error?.code == .database)
        #expect(error?.reason.contains("no status slot is ready") == true, "\(String(describing: error))")
        #expect(started.duration(to: .now) < .seconds(7))
        try await PostgresTestCluster.psql(admin, "ALTER DATABASE \(database.url.database) ALLOW_CONNECTIONS true")
        let again = try await allocator.reserve(count: 40)
        #expect(Set((reserved + again).map(\.slot)).count == 190, "after recovery, fresh slots only")
    }
}
