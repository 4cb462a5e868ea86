import Foundation
import Testing

/// A real `vouch serve` process driven over loopback by `Python/service_test.py`.
@Suite(.serialized) struct ServiceProcessTests {
    func run(_ checks: [String]) async throws -> (status: Int32, output: String) {
        guard PythonDriver.hasVenv
        else {
            Issue.record("no .venv/bin/python: run `make test` (it creates .venv)")
            return (-1, "")
        }
        return try await PythonDriver.run(script: "Tests/CLITests/Python/service_test.py",
                                          arguments: [CLI.executable.path, CLI.packageRoot.path] + checks)
    }

    /// Issue a PNG over HTTP, decode it with zbarimg, verify over HTTP.
    @Test func issueRenderScanVerify() async throws {
        let result = try await run(["e2e"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// A unique name reaches no database file, log line or metric.
    @Test func noPersonalDataAnywhere() async throws {
        let result = try await run(["canary"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// schemathesis against /openapi.yaml: no server error for any generated request.
    @Test func schemathesisFindsNoServerErrors() async throws {
        let result = try await run(["schemathesis"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// The README's HTTP example (API key, issue JSON, issue PNG, zbarimg + verify, a 422) run as written:
    /// every output matches what the README shows.
    @Test func readmeExampleIsTrue() async throws {
        let result = try await run(["readme"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// The auditor's `vouch log` commands against a live server (the README's walkthrough).
    @Test func logCommandsOverHTTP() async throws {
        let result = try await run(["log"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// kill -9 at random moments under load, 20 times: every answered attestation is in the
    /// audit log and `vouch log verify` passes.
    @Test func killNineLosesNoLoggedAttestation() async throws {
        let result = try await run(["crash"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// `vouch serve --config FILE` with no variables set; VOUCH_CONFIG for the other commands; a variable
    /// overrides the file; a bad key is named by file and line.
    @Test func configurationFile() async throws {
        let result = try await run(["config"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// SIGTERM, then SIGINT, under load loses no answered request and exits 0.
    @Test func gracefulShutdownLosesNothing() async throws {
        let result = try await run(["shutdown"])
        #expect(result.status == 0, "\(result.output)")
    }
}
