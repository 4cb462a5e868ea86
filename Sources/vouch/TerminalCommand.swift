import VouchHTTP
import ArgumentParser
import Foundation
import VouchTerminal

/// `vouch terminal staff add|remove|list`, `vouch terminal report`, `vouch terminal admin-key`:
/// the staff side of a checkout terminal, on its data directory.
struct TerminalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminal", abstract: "Staff accounts, admin key and daily report of a checkout terminal.",
        subcommands: [Staff.self, Report.self, AdminKey.self])

    /// The terminal's time zone: the day a register line belongs to ($VOUCH_TIME_ZONE, UTC).
    static func desk(_ data: DataDirectoryOptions) throws -> TerminalDesk {
        let name = Settings.string(.timeZone) ?? "UTC"
        guard let zone = TimeZone(identifier: name) else { throw CLIError.input("VOUCH_TIME_ZONE: unknown time zone") }
        do {
            return try TerminalDesk(dataDirectory: data.url, timeZone: zone)
        } catch {
            throw CLIError.input("cannot open the terminal's data in \(data.url.path): \(error)")
        }
    }

    struct Staff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Manage staff accounts (PINs stored as PBKDF2-HMAC-SHA256 hashes only).",
            subcommands: [Add.self, Remove.self, List.self])
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a day's counts: scans by policy, decision and reason, manual checks, refusals, trust age.")
        @OptionGroup var data: DataDirectoryOptions
        @Option(help: "The day, YYYY-MM-DD in the terminal's time zone (default: today).") var date: String?
        @Option(help: "json (default) or csv.") var format: String = "json"

        func run() throws {
            let desk = try TerminalCommand.desk(data)
            let day: RegisterDay
            if let date {
                guard let parsed = RegisterDay(parsing: date) else { throw CLIError.input("--date: must be YYYY-MM-DD") }
                day = parsed
            } else {
                day = RegisterDay(Date(), timeZone: desk.register.timeZone)
            }
            guard ["json", "csv"].contains(format) else { throw CLIError.input("--format: json or csv") }
            let report: TerminalReport
            do {
                report = try desk.report(day)
            } catch {
                throw CLIError.input("cannot read the register: \(error)")
            }
            if format == "csv" {
                print(report.csv, terminator: "")
            } else {
                print(Console.json(report.jsonObject))
            }
        }
    }

    struct AdminKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "admin-key",
            abstract: "Make a new terminal admin key (for GET /v1/terminal/report); printed once, stored as a hash.")
        @OptionGroup var data: DataDirectoryOptions

        func run() throws {
            let key = try TerminalCommand.desk(data).createAdminKey()
            Console.error("terminal admin key created (any earlier one no longer works); shown once:")
            print(key)
        }
    }
}
