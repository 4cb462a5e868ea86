import Foundation
import VouchStore

/// psql against a test database, for looking at what a node did from outside it (its connections, its lease row).
///
/// Spawned and waited for on a Dispatch thread, never on Swift's cooperative pool (two threads here).
enum PostgresTools {
    /// Runs `sql` and returns psql's unaligned, tuples-only output (`|` between columns).
    static func query(_ url: PostgresURL, _ sql: String) async throws -> String {
        let process = try start(url, sql)
        let pipe = process.standardOutput as! Pipe
        let (status, output) = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
            }
        }
        guard status == 0 else { throw ToolError(description: "psql exit \(status) for \(sql)") }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts psql running `sql` in the background; the caller waits for it with ``finish(_:)``.
    static func start(_ url: PostgresURL, _ sql: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        var arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-U", url.username, "-d", url.database,
                         "-c", sql]
        arguments += ["-h", url.socketDirectory ?? url.host ?? "localhost", "-p", String(url.port)]
        process.arguments = arguments
        if let password = url.passwordForTools {
            process.environment = ProcessInfo.processInfo.environment.merging(["PGPASSWORD": password]) { $1 }
        }
        process.standardOutput = Pipe()
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func finish(_ process: Process) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    struct ToolError: Error, CustomStringConvertible {
        let description: String
    }
}
