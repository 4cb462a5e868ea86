import Foundation
import Testing

/// The checkout page at the till in headless Chromium against real `vouch serve` processes,
/// driven by `Tests/TerminalTests/terminal_till.py` (standard library only).
///
/// `VOUCH_UPDATE_SCREENSHOTS=1` also rewrites `docs/till-*.png` (accept, reject, staff PIN prompt,
/// report, offline too long, clock behind).
@Suite(.serialized) struct TerminalTillTests {
    func run(_ checks: [String]) async throws -> (status: Int32, output: String) {
        var arguments = [CLI.executable.path, CLI.packageRoot.path]
        if ProcessInfo.processInfo.environment["VOUCH_UPDATE_SCREENSHOTS"] == "1" {
            arguments += ["--screenshots", CLI.packageRoot.appendingPathComponent("docs").path]
        }
        return try await PythonDriver.run(script: "Tests/TerminalTests/terminal_till.py", arguments: arguments + checks)
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

    /// The page at 1024x768 and phone width, keyboard only: a refusal with a wrong then the right PIN, a
    /// manual check, the report behind the PIN; prefers-reduced-motion; trust age and upstream; offline too
    /// long; clock behind.
    @Test func tillPageWithStaffPromptReportAndStates() async throws {
        let result = try await run(["till"])
        #expect(result.status == 0, "\(result.output)")
    }
}
