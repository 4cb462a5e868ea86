public import Foundation
import Synchronization

/// The terminal's register: every scan's outcome (counts only), every manual
/// ID check and every refused sale, one JSON line each, in
/// `DATA/terminal/register/YYYY-MM-DD.jsonl` (the day in the terminal's time
/// zone, files 0600).
///
/// A line is appended with `O_APPEND` and `fsync`ed before the call returns,
/// so an entry that was answered survives `kill -9` and power loss. A line
/// holds time, kind, policy, outcome and reason, and for staff actions the
/// staff id: never a code, a token hash or anything about the customer.
public final class TerminalRegister: Sendable {
    public let directory: URL
    public let timeZone: TimeZone
    private let lock = Mutex(())

    /// - Throws: when the directory cannot be created.
    public init(directory: URL, timeZone: TimeZone) throws {
        self.directory = directory
        self.timeZone = timeZone
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    /// Appends `entry` to the file of its day, durably.
    public func append(_ entry: RegisterEntry) throws(TerminalFileError) {
        let file = self.file(for: RegisterDay(entry.at, timeZone: timeZone))
        let line = entry.jsonLine()
        try lock.withLock { _ throws(TerminalFileError) in try DurableFile.append(line, to: file) }
    }

    /// The entries of `day`, oldest first, and how many lines could not be read.
    ///
    /// A last line without its newline (a write cut short by a crash) is
    /// skipped silently; any other line that does not parse is counted.
    public func entries(on day: RegisterDay) throws(TerminalFileError) -> (entries: [RegisterEntry], unreadable: Int) {
        let bytes = try lock.withLock { _ throws(TerminalFileError) in
            try DurableFile.read(file(for: day), limit: 256 << 20)
        }
        guard let bytes else { return ([], 0) }
        var entries: [RegisterEntry] = [], unreadable = 0
        var lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: false)
        // The piece after the last newline: empty, or a line a crash cut short.
        lines.removeLast()
        for line in lines where !line.isEmpty {
            if let entry = RegisterEntry(jsonLine: Array(line)) { entries.append(entry) } else { unreadable += 1 }
        }
        return (entries, unreadable)
    }

    func file(for day: RegisterDay) -> URL { directory.appendingPathComponent("\(day.text).jsonl") }
}

/// A calendar day, `YYYY-MM-DD`, in the terminal's time zone.
public struct RegisterDay: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    /// The day `date` falls on in `timeZone`.
    public init(_ date: Date, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        text = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Parses `YYYY-MM-DD` strictly (a real date, years 2000-9999); `nil` otherwise.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == 0x2d, bytes[7] == 0x2d,
              bytes.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || (0x30...0x39).contains($0.element) }),
              let year = Int(text.prefix(4)), let month = Int(text.dropFirst(5).prefix(2)),
              let day = Int(text.suffix(2)), (2000...9999).contains(year), (1...12).contains(month), day >= 1
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return nil }
        self.text = text
    }

    public var description: String { text }
}
