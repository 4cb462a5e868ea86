public import Foundation
import VouchCrypto

/// What the till's staff side needs: the staff accounts, the register, and
/// the terminal admin key (its SHA-256 only, in `admin-key.sha256`, 0600),
/// all in the terminal's data directory (`DATA/terminal/`).
public struct TerminalDesk: Sendable {
    public let staff: StaffAccounts
    public let register: TerminalRegister
    let adminKeyFile: URL

    /// Opens (creating where missing) the staff file and register under `directory`.
    public init(directory: URL, timeZone: TimeZone) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        staff = try StaffAccounts(directory: directory)
        register = try TerminalRegister(directory: directory.appendingPathComponent("register", isDirectory: true),
                                        timeZone: timeZone)
        adminKeyFile = directory.appendingPathComponent("admin-key.sha256")
    }

    /// The desk of a data directory as `vouch serve --role terminal` lays it out.
    public init(dataDirectory: URL, timeZone: TimeZone) throws {
        try self.init(directory: dataDirectory.appendingPathComponent("terminal", isDirectory: true), timeZone: timeZone)
    }

    /// The report of `day`.
    public func report(_ day: RegisterDay) throws -> TerminalReport {
        let read = try register.entries(on: day)
        return TerminalReport(day: day, timeZone: register.timeZone, entries: read.entries,
                              unreadableLines: read.unreadable)
    }

    // MARK: Admin key

    /// Makes a new admin key, keeps its hash (replacing any earlier key) and returns it: shown once.
    public func createAdminKey() throws -> String {
        let key = "vta_" + (try SecureRandom.bytes(count: 32)).map { String(format: "%02x", $0) }.joined()
        let hash = Digest.sha256(Array(key.utf8)).map { String(format: "%02x", $0) }.joined()
        try DurableFile.replace(adminKeyFile, with: Array((hash + "\n").utf8))
        return key
    }

    /// Whether `key` is the admin key; `false` when none was made.
    public func isAdminKey(_ key: String) -> Bool {
        guard let stored = try? DurableFile.read(adminKeyFile, limit: 256),
              let text = String(bytes: stored, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              text.utf8.count == 64
        else { return false }
        let given = Digest.sha256(Array(key.utf8)).map { String(format: "%02x", $0) }.joined()
        return constantTimeEquals(Array(given.utf8), Array(text.utf8))
    }
}
