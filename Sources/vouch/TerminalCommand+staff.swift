import VouchHTTP
import ArgumentParser
import Foundation
import VouchCrypto
import VouchTerminal

extension TerminalCommand.Staff {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a staff account; the PIN (4 to 12 digits) is read from standard input.")
        @OptionGroup var data: DataDirectoryOptions
        @Argument(help: "The staff id (a-z 0-9 . _ -, up to 32).") var id: String
        @Flag(help: "Set a new PIN for an existing id (clears its lockout).") var replace = false
        @Option(help: "PBKDF2 iterations (default 600000, at least 10000).")
        var iterations: Int = PBKDF2.recommendedIterations

        func run() throws {
            let interactive = isatty(STDIN_FILENO) == 1
            if interactive { FileHandle.standardError.write(Data("PIN for \(id): ".utf8)) }
            let pin = try Self.readPIN(hidden: interactive)
            if interactive {
                FileHandle.standardError.write(Data("Again: ".utf8))
                guard try Self.readPIN(hidden: true) == pin else { throw CLIError.input("the PINs differ") }
            }
            do {
                try TerminalCommand.desk(data).staff.add(id: id, pin: pin, iterations: iterations, replace: replace)
            } catch let error as StaffError {
                throw CLIError.input(error.reason)
            } catch let error as CryptoError {
                throw CLIError.input("--iterations: \(error.reason)")
            }
            Console.error("staff \(id) \(replace ? "updated" : "added")")
        }

        /// One line of standard input, without echo when it is a terminal.
        static func readPIN(hidden: Bool) throws -> String {
            var saved = termios()
            if hidden, tcgetattr(STDIN_FILENO, &saved) == 0 {
                var quiet = saved
                quiet.c_lflag &= ~tcflag_t(ECHO)
                tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
            }
            defer {
                if hidden {
                    tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                    FileHandle.standardError.write(Data("\n".utf8))
                }
            }
            guard let line = readLine(strippingNewline: true) else { throw CLIError.input("no PIN on standard input") }
            return line.trimmingCharacters(in: .whitespaces)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a staff account.")
        @OptionGroup var data: DataDirectoryOptions
        @Argument(help: "The staff id.") var id: String

        func run() throws {
            guard try TerminalCommand.desk(data).staff.remove(id: id) else { throw CLIError.input("no staff \(id)") }
            Console.error("staff \(id) removed")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff ids (never PINs or hashes).")
        @OptionGroup var data: DataDirectoryOptions

        func run() throws {
            for id in try TerminalCommand.desk(data).staff.ids { print(id) }
        }
    }
}
