import Foundation

/// Runs a Python driver script (`.venv`'s interpreter, else the system's) that exercises real `vouch`
/// processes, and returns its exit status and combined output.
///
/// The process is waited for on a thread of its own, not on the test's: these drivers run for tens of
/// seconds, and a blocked thread of Swift's cooperative pool (two threads on these machines) would stall
/// every in-process server test running beside them until their requests time out.
enum PythonDriver {
    static func run(script: String, arguments: [String]) async throws -> (status: Int32, output: String) {
        let venv = CLI.packageRoot.appendingPathComponent(".venv/bin/python")
        let python = FileManager.default.isExecutableFile(atPath: venv.path) ? venv : URL(fileURLWithPath: "/usr/bin/python3")
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
