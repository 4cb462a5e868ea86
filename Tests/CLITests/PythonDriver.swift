import Foundation
import Testing

/// Runs a Python driver script (`.venv`'s interpreter, else the system's) that exercises real `vouch`
/// processes, and returns its exit status and combined output.
///
/// The process is waited for on a thread of its own, not on the test's: these drivers run for tens of
/// seconds, and a blocked thread of Swift's cooperative pool (two threads on these machines) would stall
/// every in-process server test running beside them until their requests time out.
enum PythonDriver {
    static let venv = CLI.packageRoot.appendingPathComponent(".venv/bin/python")

    /// Whether `make venv` made `.venv`; scripts that need its packages (cbor2, cryptography) check it first.
    static var hasVenv: Bool { FileManager.default.isExecutableFile(atPath: venv.path) }

    /// Runs `script` under `.venv` and expects exit 0 and `marker` in its output; without `.venv`, records
    /// an issue naming what `script` needs it for.
    static func expectPasses(_ script: String, _ arguments: [String], says marker: String, needs why: String,
                             sourceLocation: SourceLocation = #_sourceLocation) async throws {
        guard hasVenv else {
            Issue.record("no .venv/bin/python: run `make test` (it creates .venv; \(why))", sourceLocation: sourceLocation)
            return
        }
        let result = try await run(script: script, arguments: arguments)
        #expect(result.status == 0, "\(result.output.suffix(3000))", sourceLocation: sourceLocation)
        #expect(result.output.contains(marker), "\(result.output.suffix(3000))", sourceLocation: sourceLocation)
    }

    static func run(script: String, arguments: [String]) async throws -> (status: Int32, output: String) {
        let python = hasVenv ? venv : URL(fileURLWithPath: "/usr/bin/python3")
        let process = Process()
        process.executableURL = python
        process.arguments = [CLI.packageRoot.appendingPathComponent(script).path] + arguments
        process.currentDirectoryURL = CLI.packageRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let reader = pipe.fileHandleForReading
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let output = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, output))
            }
        }
    }
}
