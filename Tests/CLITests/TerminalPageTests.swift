import Foundation
import Testing

/// The checkout page in headless Chromium against real `vouch serve` processes,
/// driven by `Tests/TerminalTests/terminal_page.py` (standard library only).
///
/// `VOUCH_UPDATE_SCREENSHOTS=1` also rewrites `docs/terminal-accept.png` and
/// `docs/terminal-reject.png`.
@Suite(.serialized) struct TerminalPageTests {
    func run(_ checks: [String]) throws -> (status: Int32, output: String) {
        let venv = CLI.packageRoot.appendingPathComponent(".venv/bin/python")
        let python = FileManager.default.isExecutableFile(atPath: venv.path) ? venv : URL(fileURLWithPath: "/usr/bin/python3")
        let script = CLI.packageRoot.appendingPathComponent("Tests/TerminalTests/terminal_page.py")
        var arguments = [script.path, CLI.executable.path, CLI.packageRoot.path]
        if ProcessInfo.processInfo.environment["VOUCH_UPDATE_SCREENSHOTS"] == "1" {
            arguments += ["--screenshots", CLI.packageRoot.appendingPathComponent("docs").path]
        }
        let process = Process()
        process.executableURL = python
        process.arguments = arguments + checks
        process.currentDirectoryURL = CLI.packageRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// `--role all`: pick alcohol-uk, OVER 18, STUDENT, forged, EAN-13, Escape/Enter/timer, phone layout.
    @Test func checkoutPageInHeadlessChromium() throws {
        let result = try run(["page"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// `--role terminal` beside an issuer: sync, scan, stop the issuer, scan again.
    @Test func terminalKeepsWorkingWithItsIssuerStopped() throws {
        let result = try run(["terminal"])
        #expect(result.status == 0, "\(result.output)")
    }
}
