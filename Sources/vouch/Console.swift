import VouchHTTP
import ArgumentParser
import Foundation

/// Output helpers: results on stdout, messages on stderr.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
    }

    /// Reads the TEXT argument: `-` means standard input.
    static func readText(_ argument: String) throws -> String {
        guard argument == "-" else { return argument }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError.input("standard input is not UTF-8 text")
        }
        return text
    }

    /// Pretty, key-sorted JSON of a Foundation JSON object.
    static func json(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object,
                                                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// A failure of the caller's input: message on stderr and exit code 2.
struct CLIError: Error, CustomStringConvertible {
    static let usageExitCode: Int32 = 2
    let description: String

    static func input(_ message: String) -> CLIError { CLIError(description: message) }
}
