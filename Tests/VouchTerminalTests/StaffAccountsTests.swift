import Foundation
import Testing
@testable import VouchTerminal

@Suite struct StaffAccountsTests {
    static func directory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vouch-staff-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func rightPINPassesAndOnlyAHashIsStored() throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let staff = try StaffAccounts(directory: directory)
        try staff.add(id: "alice", pin: "482915", iterations: 10_000)
        try staff.check(id: "alice", pin: "482915")
        let text = try String(contentsOf: staff.file, encoding: .utf8)
        #expect(!text.contains("482915"))
        #expect(text.contains("\"iterations\" : 10000"))
        let mode = try FileManager.default.attributesOfItem(atPath: staff.file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Reopened from the file, the same PIN still passes.
        try StaffAccounts(directory: directory).check(id: "alice", pin: "482915")
    }

    @Test func wrongPINAndUnknownIdAreRefusedAlike() throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let staff = try StaffAccounts(directory: directory)
        try staff.add(id: "alice", pin: "482915", iterations: 10_000)
        #expect(throws: StaffError(.refused, "")) { try staff.check(id: "alice", pin: "000000") }
        #expect(throws: StaffError(.refused, "")) { try staff.check(id: "bob", pin: "482915") }
        do {
            try staff.check(id: "alice", pin: "111111")
        } catch let error as StaffError {
            #expect(error.triesLeft == StaffAccounts.maximumTries - 2)
        }
    }

    @Test func locksAfterMaximumTriesEvenForTheRightPINAndAcrossARestart() throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let staff = try StaffAccounts(directory: directory)
        try staff.add(id: "alice", pin: "482915", iterations: 10_000)
        let now = Date()
        for attempt in 1...StaffAccounts.maximumTries {
            do {
                try staff.check(id: "alice", pin: "000000", now: now)
                Issue.record("a wrong PIN passed")
            } catch let error as StaffError {
                #expect(error.code == (attempt == StaffAccounts.maximumTries ? .locked : .refused))
            }
        }
        #expect(throws: StaffError(.locked, "")) { try staff.check(id: "alice", pin: "482915", now: now) }
        // A restart does not reset the lockout.
        let reopened = try StaffAccounts(directory: directory)
        #expect(throws: StaffError(.locked, "")) { try reopened.check(id: "alice", pin: "482915", now: now.addingTimeInterval(10)) }
        // After the lockout, the right PIN passes and clears the run.
        try reopened.check(id: "alice", pin: "482915", now: now.addingTimeInterval(31))
        try reopened.check(id: "alice", pin: "482915", now: now.addingTimeInterval(32))
    }

    @Test func backoffDoublesAndIsCapped() {
        #expect(StaffAccounts.lockout(afterFailures: 4) == nil)
        #expect(StaffAccounts.lockout(afterFailures: 5) == 30)
        #expect(StaffAccounts.lockout(afterFailures: 6) == 60)
        #expect(StaffAccounts.lockout(afterFailures: 7) == 120)
        #expect(StaffAccounts.lockout(afterFailures: 50) == 3600)
    }

    @Test func badIdsPINsAndFilesAreRefused() throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let staff = try StaffAccounts(directory: directory)
        for id in ["", "Alice", "a b", "-x", String(repeating: "a", count: 33), "ä"] {
            #expect(throws: StaffError(.invalidID, "")) { try staff.add(id: id, pin: "1234", iterations: 10_000) }
        }
        for pin in ["123", "12345a", "1234567890123", " 1234"] {
            #expect(throws: StaffError(.invalidPIN, "")) { try staff.add(id: "bob", pin: pin, iterations: 10_000) }
        }
        try staff.add(id: "bob", pin: "1234", iterations: 10_000)
        #expect(throws: StaffError(.exists, "")) { try staff.add(id: "bob", pin: "5678", iterations: 10_000) }
        try staff.add(id: "bob", pin: "5678", iterations: 10_000, replace: true)
        try staff.check(id: "bob", pin: "5678")
        try Data("{\"version\": 1, \"staff\": [{\"id\": \"x\"}]}".utf8).write(to: staff.file)
        #expect(throws: StaffError(.corrupt, "")) { try StaffAccounts(directory: directory) }
    }
}
