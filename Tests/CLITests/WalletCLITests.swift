import Foundation
import Testing
import VouchCore

/// `vouch wallet` and `vouch inspect` on presentations, and the CLI's presentations checked by python-cwt/pycose.
@Suite struct WalletCLITests {
    let dir: URL
    var dataArgs: [String] { ["--data-dir", dir.appendingPathComponent("data").path] }
    var wallet: String { dir.appendingPathComponent("wallet").path }

    init() throws { dir = try CLI.temporaryDirectory() }

    func issueIntoWallet(_ extra: [String] = ["--threshold", "18", "--threshold", "21"]) throws {
        #expect(try CLI.run(["init"] + dataArgs).status == 0)
        let issued = try CLI.run(["issue", "age", "--birth-date", "2000-01-01", "--wallet", wallet] + extra + dataArgs)
        try #require(issued.status == 0, "\(issued.stderr)")
    }

    @Test func listPresentAndInspect() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try issueIntoWallet()
        let list = try CLI.run(["wallet", "list", "--dir", wallet, "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: list.stdoutData) as? [String: Any])
        #expect(summary["codes"] as? [String: Int] == ["age_over_18": 1, "age_over_21": 1])
        #expect(!list.stdout.contains("PRIVATE KEY"))

        // --over 18 shows the 18 code, not the 21.
        let shown = try CLI.run(["wallet", "present", "--dir", wallet, "--over", "18"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let inspect = try CLI.run(["inspect", "-"], input: shown.stdout)
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: inspect.stdoutData) as? [String: Any])
        #expect(report["kind"] as? String == "presentation")
        let t = try #require((report["t"] as? NSNumber)?.doubleValue)
        #expect(abs(t - Date().timeIntervalSince1970) < 60)
        let credential = try #require(report["credential"] as? [String: Any])
        #expect((credential["claims"] as? [String: Any])?["age_over_18"] as? Bool == true)
        let holder = try #require(credential["holder_key"] as? [String: Any])
        #expect(holder["on_curve"] as? Bool == true)
        #expect((holder["sec1_uncompressed"] as? String)?.count == 130)
        #expect(holder["y_sign_bit"] is Bool)

        // The 18 code is gone; the 21 remains, then none.
        let after = try CLI.run(["wallet", "list", "--dir", wallet])
        #expect(after.stdout.contains("1 code ready") && after.stdout.contains("age_over_21"), "\(after.stdout)")
        #expect(try CLI.run(["wallet", "present", "--dir", wallet, "--over", "18"]).status == 0)
        let empty = try CLI.run(["wallet", "present", "--dir", wallet])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("no unused"), "\(empty.stderr)")
        // Not a wallet: a usage error naming the directory.
        let missing = try CLI.run(["wallet", "list", "--dir", dir.appendingPathComponent("nothing").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("not a wallet directory"), "\(missing.stderr)")
        // Files are private.
        for name in try FileManager.default.contentsOfDirectory(atPath: wallet + "/codes") {
            let mode = try FileManager.default.attributesOfItem(atPath: wallet + "/codes/" + name)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }
    }

    @Test func aPresentationShownTwiceOrTooLateIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try issueIntoWallet(["--threshold", "18"])
        let shown = try CLI.run(["wallet", "present", "--dir", wallet, "--keep"])
        // Two codes on stdin in one run share one verifier: the second showing is a replay.
        let twice = try CLI.run(["verify", "-", "--policy", "alcohol-uk"] + dataArgs, input: shown.stdout + shown.stdout)
        #expect(twice.status == 1)
        let lines = twice.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("ACCEPT") && lines[1].hasPrefix("REJECT replayed"), "\(twice.stdout)")
        let late = Date().addingTimeInterval(600).timeIntervalSince1970
        let stale = try CLI.run(["verify", shown.stdout, "--policy", "alcohol-uk", "--at", String(Int(late))] + dataArgs)
        #expect(stale.stdout.hasPrefix("REJECT presentation_expired"), "\(stale.stdout)")
    }

    /// python-cwt and pycose check the issuer signature of the credential and the holder signature of the CLI's presentation.
    @Test func pythonVerifiesTheCLIPresentation() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try issueIntoWallet(["--threshold", "18"])
        let shown = try CLI.run(["wallet", "present", "--dir", wallet])
        let python = CLI.packageRoot.appendingPathComponent(".venv/bin/python")
        try #require(FileManager.default.isExecutableFile(atPath: python.path), "no .venv: run `make venv`")
        let process = Process()
        process.executableURL = python
        process.arguments = [CLI.packageRoot.appendingPathComponent("Tests/InteropTests/Python/vouch_holder.py").path,
                             "presentation", "--cert", dir.appendingPathComponent("data/certs/issuer.pem").path,
                             "--text", shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines)]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python rejected the CLI's presentation: \(stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: stdout) as? [String: Any])
        #expect(json["vct"] as? String == "age")
        let presentation = try Presentation(text: shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect((json["t"] as? NSNumber)?.uint64Value == presentation.time)
        #expect(json["cti"] as? String == presentation.credential.claims.tokenID.hexString)
    }
}
