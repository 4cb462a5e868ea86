import Foundation
import Testing

/// A real `vouch serve` process driven over loopback by `Python/service_test.py`.
@Suite(.serialized) struct ServiceProcessTests {
    func run(_ checks: [String]) throws -> (status: Int32, output: String) {
        let python = CLI.packageRoot.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record("no \(python.path): run `make test` (it creates .venv)")
            return (-1, "")
        }
        let script = CLI.packageRoot.appendingPathComponent("Tests/CLITests/Python/service_test.py")
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path, CLI.executable.path, CLI.packageRoot.path] + checks
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// Issue a PNG over HTTP, decode it with zbarimg, verify over HTTP.
    @Test func issueRenderScanVerify() throws {
        let result = try run(["e2e"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// A unique name reaches no database file, log line or metric.
    @Test func noPersonalDataAnywhere() throws {
        let result = try run(["canary"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// schemathesis against /openapi.yaml: no server error for any generated request.
    @Test func schemathesisFindsNoServerErrors() throws {
        let result = try run(["schemathesis"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// The README's HTTP example (API key, issue JSON, issue PNG, zbarimg + verify, a 422) run as written:
    /// every output matches what the README shows.
    @Test func readmeExampleIsTrue() throws {
        let result = try run(["readme"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// The auditor's `vouch log` commands against a live server (the README's walkthrough).
    @Test func logCommandsOverHTTP() throws {
        let result = try run(["log"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// kill -9 at random moments under load, 20 times: every answered attestation is in the
    /// audit log and `vouch log verify` passes.
    @Test func killNineLosesNoLoggedAttestation() throws {
        let result = try run(["crash"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// `vouch serve --config FILE` with no variables set; VOUCH_CONFIG for the other commands; a variable
    /// overrides the file; a bad key is named by file and line.
    @Test func configurationFile() throws {
        let result = try run(["config"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// SIGTERM, then SIGINT, under load loses no answered request and exits 0.
    @Test func gracefulShutdownLosesNothing() throws {
        let result = try run(["shutdown"])
        #expect(result.status == 0, "\(result.output)")
    }
}
