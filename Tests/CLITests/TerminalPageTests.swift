import Foundation
import Testing

/// The checkout page in headless Chromium against real `vouch serve` processes,
/// driven by `Tests/TerminalTests/terminal_page.py` (standard library only).
///
/// `VOUCH_UPDATE_SCREENSHOTS=1` also rewrites `docs/terminal-accept.png` and
/// `docs/terminal-reject.png`.
@Suite(.serialized) struct TerminalPageTests {
    func run(_ checks: [String]) async throws -> (status: Int32, output: String) {
        var arguments = [CLI.executable.path, CLI.packageRoot.path]
        if ProcessInfo.processInfo.environment["VOUCH_UPDATE_SCREENSHOTS"] == "1" {
            arguments += ["--screenshots", CLI.packageRoot.appendingPathComponent("docs").path]
        }
        return try await PythonDriver.run(script: "Tests/TerminalTests/terminal_page.py", arguments: arguments + checks)
    }

    /// `--role all`: pick alcohol-uk, OVER 18, STUDENT, forged, EAN-13, Escape/Enter/timer, phone layout.
    @Test func checkoutPageInHeadlessChromium() async throws {
        let result = try await run(["page"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// `--role terminal` beside an issuer: sync, scan, stop the issuer, scan again.
    @Test func terminalKeepsWorkingWithItsIssuerStopped() async throws {
        let result = try await run(["terminal"])
        #expect(result.status == 0, "\(result.output)")
    }
}
