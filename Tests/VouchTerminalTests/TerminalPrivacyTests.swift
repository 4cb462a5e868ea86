import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VouchCrypto
import VouchTerminal

/// The canary idea of VouchStoreTests' PrivacyTests, for the terminal: a
/// unique name and birth date scanned at the till reach neither the register,
/// nor the report (JSON or CSV), nor any other file of the terminal's data
/// directory, nor its log lines.
@Suite struct TerminalPrivacyTests {
    @Test func aNameScannedAtTheTillAppearsInNoRegisterReportOrFile() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let services = try TerminalRouterTests().terminalServices(rig)
        try services.desk.staff.add(id: "alice", pin: "4821", iterations: 10_000)
        let canary = "Zebulon-Canary-\(UUID().uuidString.prefix(8))"
        let birthDate = "1987-06-05"
        let identity = try await rig.issue("/v1/attestations/identity", json: """
            {"given_name": "\(canary)", "family_name": "\(canary)", "birth_date": "\(birthDate)",
             "document_number": "D1234567", "subject_ref": "cust-\(canary)"}
            """)
        let over18 = try await rig.issue()
        let app = Application(router: buildTerminalRouter(terminal: services))
        let day = RegisterDay(Date(), timeZone: services.desk.register.timeZone)
        let (json, csv) = try await app.test(.router) { client in
            #expect(await services.sync.syncOnce())
            let scanned = try await client.post("/v1/verify", json: #"{"token": "\#(identity)", "policy": "identity-account-opening"}"#)
            #expect(scanned.json["decision"] as? String == "accept", "\(scanned.text)")
            #expect(scanned.text.contains(canary), "the decision itself discloses what the policy names")
            _ = try await client.post("/v1/verify", json: #"{"token": "\#(over18)", "policy": "alcohol-uk"}"#)
            let refusal = try await client.post("/v1/terminal/register", json: """
                {"staff": "alice", "pin": "4821", "kind": "refusal", "policy": "alcohol-uk", "reason": "id_not_valid"}
                """)
            #expect(refusal.status == .created, "\(refusal.text)")
            let headers: HTTPFields = [.init("X-Vouch-Staff")!: "alice", .init("X-Vouch-PIN")!: "4821"]
            let json = try await client.execute(uri: "/v1/terminal/report?date=\(day.text)", method: .get, headers: headers)
            let csv = try await client.execute(uri: "/v1/terminal/report?date=\(day.text)&format=csv", method: .get,
                                               headers: headers)
            #expect(json.status == .ok && csv.status == .ok)
            return (json.text, csv.text)
        }
        let report = try services.desk.report(day)
        #expect(report.total(.scan) == 2 && report.total(.refusal) == 1)
        #expect(report.count(.scan, policy: "identity-account-opening", outcome: "accept", reason: "ok") == 1)

        var blobs: [(String, String)] = [("report", json), ("csv", csv), ("log", rig.issuer.logs.text)]
        let root = rig.directory.appendingPathComponent("terminal")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard let data = try? Data(contentsOf: url), !url.hasDirectoryPath else { continue }
            blobs.append((url.lastPathComponent, String(decoding: data, as: UTF8.self)))
        }
        #expect(blobs.contains { $0.0.hasSuffix(".jsonl") }, "the register was read")
        let tokenHash = Digest.sha256(Array(identity.utf8)).map { String(format: "%02x", $0) }.joined()
        for (name, text) in blobs {
            for secret in [canary, birthDate, "19870605", String(identity.dropFirst(5).prefix(32)), String(tokenHash.prefix(16)),
                           String(over18.dropFirst(5).prefix(32)), "4821"] {
                #expect(!text.contains(secret), "\(secret) in \(name)")
            }
        }
    }
}
