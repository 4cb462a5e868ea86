import Foundation
import Testing

/// The checkout page at the till in headless Chromium against real `vouch serve` processes,
/// driven by `Tests/TerminalTests/terminal_till.py` (standard library only).
@Suite(.serialized) struct TerminalTillTests {
    func run(_ checks: [String]) async throws -> (status: Int32, output: String) {
        try await PythonDriver.run(script: "Tests/TerminalTests/terminal_till.py",
                                   arguments: [CLI.executable.path, CLI.packageRoot.path] + checks)
    }

    /// A US-configured scanner typing through us, uk, de, ch and fr layouts (CDP key events, dead keys
    /// included): a real code is accepted every time; an EAN-13, a URL and random text stay "Not a Vouch code".
    @Test func scannerLayoutsInHeadlessChromium() async throws {
        let result = try await run(["layouts"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// Staff entries over HTTP, scans counted, `kill -9`: every answered entry intact; the report (JSON, CSV,
    /// `vouch terminal report`) equals the scans made; five wrong PINs lock an account, through a restart;
    /// no name, birth date, token or PIN in the register or the report.
    @Test func registerSurvivesKillNineAndReportMatchesTheScans() async throws {
        let result = try await run(["register"])
        #expect(result.status == 0, "\(result.output)")
    }
}
