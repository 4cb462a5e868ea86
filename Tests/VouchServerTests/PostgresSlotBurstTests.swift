import VouchServerTesting
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
    @Test("150 codes at once through a pool that claims 50 slots per refill: all 201, every slot distinct")
    func burstOverHTTP() async throws {
        let database = try await PostgresTestCluster.freshSetting()
        // Lists of 50 slots: the pool claims 50 at a time, and the burst also spans three lists. A long
        // operation bound: a loaded test machine signs and commits 150 codes slowly, and only the slot wait
        // is under test (without it, the reservations fail at once, whatever the bound).
        let node = try await PostgresNode.start(databaseURL: database.text,
                                                settings: ["VOUCH_DATABASE_OPERATION_TIMEOUT": "60"],
                                                adjust: { $0.statusLists.listSize = 50 })
        defer { node.cleanUp() }
        let key = try await node.services.apiKeys.createKey(name: "desk", scopes: [.issue]).secret
        let application = Application(router: buildRouter(services: node.services),
                                      configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      logger: node.logs.logger)
        let body = #"{"birth_date": "2000-01-01", "thresholds": [18]}"#
        let answers = try await application.test(.router) { client in
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for _ in 0..<150 {
                    group.addTask {
                        let response = try await client.post("/v1/attestations/age", json: body, key: key)
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
        #expect(refused.count == 0, "\(refused.count) of 150 refused, e.g. \(refused.first.map { "\($0)" } ?? "")")
        let slots = try answers.filter { $0.0 == 201 }.map { answer -> String in
            let status = try #require(try DecodedAttestation(text: answer.1).claims.status)
            return "\(status.uri)#\(status.index)"
        }
        #expect(Set(slots).count == slots.count, "a slot was handed out twice")
        #expect(node.services.statusLists.allocator.listURIs.count >= 3)
    }

    @Test("reserve(count:) from 30 tasks at once exceeds the pool and waits; with the database gone it fails in time")
    func burstAndOutage() async throws {
        // A generous bound for the burst (a loaded test machine refills slowly), a short one for the outage.
        var timeouts = PostgresTimeouts()
        timeouts.operation = 30
        let database = try await PostgresTestCluster.freshDatabase(timeouts: timeouts)
        defer { database.close() }
        let prefix = "https://issuer.test/v1/status/"
        let allocator = try await StatusListAllocator(postgres: database, uriPrefix: prefix, listSize: 64)
        let reserved = try await withThrowingTaskGroup(of: [StatusAllocation].self) { group in
            for _ in 0..<30 { group.addTask { try await allocator.reserve(count: 5) } }
            var all: [StatusAllocation] = []
            for try await batch in group { all += batch }
            return all
        }
        #expect(reserved.count == 150)
        #expect(Set(reserved.map(\.slot)).count == 150, "a slot was handed out twice")

        // Another node, bounded at 3 s. The database refuses connections: a reservation larger than what its
        // pool holds fails, naming why, within the bound instead of hanging; its slots go back to the pool.
        timeouts.operation = 3
        timeouts.statement = 2
        let other = try await PostgresDatabase.open(database.url, timeouts: timeouts)
        defer { other.close() }
        let second = try await StatusListAllocator(postgres: other, uriPrefix: prefix, listSize: 64)
        let admin = try await PostgresTestCluster.admin()
        try await PostgresTestCluster.psql(admin, "ALTER DATABASE \(database.url.database) ALLOW_CONNECTIONS false")
        try await PostgresTestCluster.psql(admin, """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database.url.database)'
            """)
        let started = ContinuousClock.now
        let error = await #expect(throws: StoreError.self) { try await second.reserve(count: 128) }
        #expect(error?.code == .database)
        #expect(error?.reason.contains("no status slot is ready") == true, "\(String(describing: error))")
        #expect(started.duration(to: .now) < .seconds(7))
        try await PostgresTestCluster.psql(admin, "ALTER DATABASE \(database.url.database) ALLOW_CONNECTIONS true")
        // The pool reconnects by itself (after its back-off); until then a reservation may still fail.
        var again: [StatusAllocation] = []
        for _ in 0..<40 where again.isEmpty {
            do {
                again = try await second.reserve(count: 40)
            } catch {
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        #expect(again.count == 40)
        #expect(Set((reserved + again).map(\.slot)).count == 190, "after recovery, fresh slots only")
    }
}
