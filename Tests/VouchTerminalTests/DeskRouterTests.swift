import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VouchTerminal

/// Every reject path of the staff routes, in-process: each answers problem
/// JSON with a stable type, and nothing reaches the register.
@Suite struct DeskRouterTests {
    @Test func rejectPathsOfRegisterAndReport() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let services = try TerminalRouterTests().terminalServices(rig)
        try services.desk.staff.add(id: "alice", pin: "4821", iterations: 10_000)
        let app = Application(router: buildTerminalRouter(terminal: services))
        let day = RegisterDay(Date(), timeZone: services.desk.register.timeZone)
        try await app.test(.router) { client in
            #expect(await services.sync.syncOnce())
            let good = #"{"staff": "alice", "pin": "4821", "kind": "refusal", "policy": "alcohol-uk", "reason": "no_id"}"#
            let cases: [(body: String, status: HTTPResponse.Status, type: String, field: String?)] = [
                (good.replacingOccurrences(of: "4821", with: "1111"), .unauthorized, "staff-pin-refused", nil),
                (good.replacingOccurrences(of: "alice", with: "mallory"), .unauthorized, "staff-pin-refused", nil),
                (good.replacingOccurrences(of: "refusal", with: "scan"), .unprocessableContent, "invalid-field", "kind"),
                (good.replacingOccurrences(of: "no_id", with: "phone_dead"), .unprocessableContent, "invalid-field", "reason"),
                (good.replacingOccurrences(of: "alcohol-uk", with: "Alcohol UK"), .unprocessableContent, "invalid-field", "policy"),
                (good.replacingOccurrences(of: "alcohol-uk", with: "no-such-policy"), .unprocessableContent, "invalid-field", "policy"),
                (good.replacingOccurrences(of: "\"reason\"", with: "\"customer\""), .badRequest, "bad-request", "customer"),
                (#"{"staff": "alice", "pin": "4821", "kind": "refusal", "policy": "alcohol-uk"}"#, .unprocessableContent,
                 "invalid-field", "reason"),
                ("not json", .badRequest, "bad-request", nil),
            ]
            for item in cases {
                let answer = try await client.post("/v1/terminal/register", json: item.body)
                #expect(answer.status == item.status, "\(item.body): \(answer.text)")
                #expect(answer.json["type"] as? String == "urn:vouch:problem:\(item.type)", "\(answer.text)")
                #expect(answer.json["field"] as? String == item.field, "\(answer.text)")
                #expect(!answer.text.contains("4821") && !answer.text.contains("1111"), "no PIN in an answer")
            }
            #expect(try services.desk.report(day).total(.refusal) == 0, "nothing refused was recorded")
            let created = try await client.post("/v1/terminal/register", json: good)
            #expect(created.status == .created)
            #expect(created.json["staff"] as? String == "alice" && created.json["pin"] == nil)

            let staff: HTTPFields = [.init("X-Vouch-Staff")!: "alice", .init("X-Vouch-PIN")!: "4821"]
            let reports: [(uri: String, headers: HTTPFields, status: HTTPResponse.Status, type: String?)] = [
                ("/v1/terminal/report", [:], .unauthorized, "unauthorized"),
                ("/v1/terminal/report", [.authorization: "Bearer vta_nope"], .unauthorized, "unauthorized"),
                ("/v1/terminal/report", [.init("X-Vouch-Staff")!: "alice"], .unauthorized, "unauthorized"),
                ("/v1/terminal/report?date=2026-02-30", staff, .badRequest, "bad-request"),
                ("/v1/terminal/report?date=yesterday", staff, .badRequest, "bad-request"),
                ("/v1/terminal/report?format=xml", staff, .badRequest, "bad-request"),
                ("/v1/terminal/report", staff, .ok, nil),
                ("/v1/terminal/report?date=\(day.text)&format=csv", staff, .ok, nil),
            ]
            for item in reports {
                let answer = try await client.execute(uri: item.uri, method: .get, headers: item.headers)
                #expect(answer.status == item.status, "\(item.uri): \(answer.text)")
                if let type = item.type { #expect(answer.json["type"] as? String == "urn:vouch:problem:\(type)") }
            }
            let today = try await client.execute(uri: "/v1/terminal/report", method: .get, headers: staff)
            #expect((today.json["refusals"] as? [String: Any])?["total"] as? Int == 1, "\(today.text)")

            // Lockout over HTTP: 429 with Retry-After, for the right PIN too.
            let wrong: HTTPFields = [.init("X-Vouch-Staff")!: "alice", .init("X-Vouch-PIN")!: "0000"]
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 {
                statuses.append(try await client.execute(uri: "/v1/terminal/report", method: .get, headers: wrong).status)
            }
            #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .unauthorized, .tooManyRequests])
            let locked = try await client.execute(uri: "/v1/terminal/report", method: .get, headers: staff)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.json["type"] as? String == "urn:vouch:problem:staff-locked")
            #expect(Int(locked.headers[.retryAfter] ?? "") ?? 0 > 0)
            let admin = try services.desk.createAdminKey()
            let byKey = try await client.execute(uri: "/v1/terminal/report", method: .get,
                                                 headers: [.authorization: "Bearer \(admin)"])
            #expect(byKey.status == .ok, "the admin key still works while a staff account is locked")
        }
    }
}
