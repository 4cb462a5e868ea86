import Foundation
import Testing

/// Log receipts and witnesses against real `vouch serve` processes, driven by Python helpers that
/// rebuild the receipt message and the cosignature format from the specs (not from Vouch's code).
@Suite(.serialized) struct ReceiptProcessTests {
    func run(_ script: String, _ arguments: [String] = []) async throws -> (status: Int32, output: String) {
        guard PythonDriver.hasVenv
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

    /// Two `vouch serve --role witness` processes cosign the log's checkpoints (cosignatures checked in
    /// Python from C2SP tlog-cosignature); `vouch log verify --witness` enforces the quorum; a witness down
    /// lets issuance go on while the cosigned checkpoint lags and `vouch_witness_lag_entries` shows it; a
    /// rewritten log (same key and origin) is refused by a witness (422; 409 with its size) and shows to
    /// an auditor holding the real cosigned checkpoint.
    @Test func witnessesCosignAndRefuseAFork() async throws {
        let result = try await run("witness_test.py")
        #expect(result.status == 0, "\(result.output)")
    }
}
