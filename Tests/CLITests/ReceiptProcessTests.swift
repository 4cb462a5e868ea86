import Foundation
import Testing

/// Log receipts and witnesses against real `vouch serve` processes, driven by Python helpers that
/// rebuild the receipt message and the cosignature format from the specs (not from Vouch's code).
@Suite(.serialized) struct ReceiptProcessTests {
    func run(_ script: String, _ arguments: [String] = []) async throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: CLI.packageRoot.appendingPathComponent(".venv/bin/python").path)
        else {
            Issue.record("no .venv/bin/python: run `make test` (it creates .venv)")
            return (-1, "")
        }
        return try await PythonDriver.run(script: "Tests/CLITests/Python/\(script)",
                                          arguments: [CLI.executable.path, CLI.packageRoot.path] + arguments)
    }

    /// An HTTP-issued code's receipt verifies under the receipt message rebuilt from format.md §7;
    /// `vouch log check-receipt --url` keeps it, and catches a forged receipt (a key we control, an
    /// index holding another entry) as a lie of the log, exit 1.
    @Test func receiptsCheckedFromOutside() async throws {
        let result = try await run("receipt_test.py")
        #expect(result.status == 0, "\(result.output)")
    }
}
