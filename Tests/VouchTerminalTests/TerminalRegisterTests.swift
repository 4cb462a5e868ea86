import VouchServerTesting
import Foundation
import Testing
@testable import VouchTerminal

@Suite struct TerminalRegisterTests {
    @Test func entriesComeBackPerDayAndATornLastLineIsSkipped() throws {
        let directory = StaffAccountsTests.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let register = try TerminalRegister(directory: directory, timeZone: TimeZone(identifier: "Europe/London")!)
        let noon = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21 in London
        let day = RegisterDay(noon, timeZone: register.timeZone)
        let entries = [
            RegisterEntry.scan(at: noon, policy: "alcohol-uk", decision: "accept", reason: "ok", layout: "de",
                               trustAgeSeconds: 40),
            RegisterEntry.staffAction(.refusal, at: noon, policy: "alcohol-uk", staff: "alice", reason: "no_id"),
            RegisterEntry.staffAction(.manualCheck, at: noon, policy: "tobacco-uk", staff: "bob", reason: "phone_dead"),
        ]
        for entry in entries { try register.append(entry) }
        let file = register.file(for: day)
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // A crash mid-write leaves a last line without its newline.
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"at\":\"2026-09-21T10:00:00Z\",\"kind\":\"sc".utf8))
        try handle.close()
        let read = try register.entries(on: day)
        #expect(read.entries.map(\.kind) == [.scan, .refusal, .manualCheck])
        #expect(read.entries[0] == entries[0].rounded())
        #expect(read.unreadable == 0)
        #expect(try register.entries(on: RegisterDay(parsing: "2026-09-22")!).entries.isEmpty)
    }

    @Test func daysParseStrictly() {
        #expect(RegisterDay(parsing: "2026-12-01")?.text == "2026-12-01")
        for bad in ["2026-2-01", "2026-02-30", "26-12-01", "2026-13-01", "2026-12-01T", "１２３４-12-01", "1999-12-31", ""] {
            #expect(RegisterDay(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func reportCountsAndCSV() {
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        let entries = [
            RegisterEntry.scan(at: at, policy: "alcohol-uk", decision: "accept", reason: "ok", layout: nil, trustAgeSeconds: 100),
            RegisterEntry.scan(at: at, policy: "alcohol-uk", decision: "accept", reason: "ok", layout: "fr", trustAgeSeconds: 20),
            RegisterEntry.scan(at: at, policy: "alcohol-uk", decision: "reject", reason: "revoked", layout: nil, trustAgeSeconds: 900),
            RegisterEntry.scan(at: at, policy: "tobacco-uk", decision: "reject", reason: "unrecognized", layout: nil, trustAgeSeconds: nil),
            RegisterEntry.staffAction(.refusal, at: at, policy: "alcohol-uk", staff: "alice", reason: "underage"),
        ]
        let report = TerminalReport(day: RegisterDay(parsing: "2026-09-21")!, timeZone: TimeZone(identifier: "UTC")!,
                                    entries: entries)
        #expect(report.total(.scan) == 4)
        #expect(report.count(.scan, policy: "alcohol-uk", outcome: "accept") == 2)
        #expect(report.count(.scan, policy: "alcohol-uk", outcome: "reject", reason: "revoked") == 1)
        #expect(report.total(.refusal) == 1)
        #expect(report.total(.manualCheck) == 0)
        #expect(report.oldestTrustAge == 900 && report.newestTrustAge == 20 && report.scansWithoutTrustData == 1)
        #expect(report.layouts == ["fr": 1])
        let csv = report.csv.split(separator: "\r\n").map(String.init)
        #expect(csv.first == "date,kind,policy,outcome,reason,count")
        #expect(csv.contains("2026-09-21,scan,alcohol-uk,accept,ok,2"))
        #expect(csv.contains("2026-09-21,refusal,alcohol-uk,refused,underage,1"))
        #expect(csv.contains("2026-09-21,trust_age,,oldest,,900"))
        #expect(!report.csv.contains("alice"), "staff ids stay in the register")
        #expect(TerminalReport.cell("=SUM(A1)") == "'=SUM(A1)")
        #expect(TerminalReport.cell("a,b") == "\"a,b\"")
    }
}

extension RegisterEntry {
    /// The entry as it reads back: times are kept to the second.
    func rounded() -> RegisterEntry {
        RegisterEntry(at: Date(timeIntervalSince1970: at.timeIntervalSince1970.rounded(.down)), kind: kind, policy: policy,
                      outcome: outcome, reason: reason, staff: staff, layout: layout, trustAgeSeconds: trustAgeSeconds)
    }
}
