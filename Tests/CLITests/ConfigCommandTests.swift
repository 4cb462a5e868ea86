import Foundation
import Testing

/// `vouch config show` and `vouch config check`, as a user runs them.
@Suite struct ConfigCommandTests {
    @Test("config show: every setting with its source; a secret from any source is redacted")
    func showRedactsSecrets() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("vouch.json")
        try Data(#"{"listen": "127.0.0.1:9191", "issuer_key": "/secret/issuer-key-canary.pem", "rate_limit": 7}"#.utf8)
            .write(to: file)
        let shown = try CLI.run(["config", "show", "--config", file.path],
                                environment: ["VOUCH_API_KEY": "vk_canary_secret", "VOUCH_RATE_LIMIT": "12"])
        #expect(shown.status == 0, "\(shown.stderr)")
        let lines = shown.stdout.split(separator: "\n").map(String.init)
        func line(_ key: String) -> String { lines.first { $0.hasPrefix(key + " ") } ?? "" }
        #expect(line("listen").contains("127.0.0.1:9191") && line("listen").contains("(\(file.path))"), "\(shown.stdout)")
        #expect(line("rate_limit").contains("12") && line("rate_limit").contains("(VOUCH_RATE_LIMIT)"),
                "the variable overrides the file: \(shown.stdout)")
        #expect(line("issuer_key").contains("<redacted>") && line("api_key").contains("<redacted>"), "\(shown.stdout)")
        #expect(!shown.stdout.contains("canary"), "no secret printed: \(shown.stdout)")
        #expect(line("status_ttl").contains("300") && line("status_ttl").contains("(default)"))
        #expect(lines.count >= 23, "a line per setting: \(shown.stdout)")
    }

    @Test("config check: 0 for a good file, 2 naming file, key and problem for a bad one")
    func check() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try CLI.run(["config", "check", CLI.packageRoot.appendingPathComponent("docs/vouch.example.json").path])
        #expect(good.status == 0 && good.stdout.contains(": ok (19 settings)"), "\(good.stdout)\(good.stderr)")
        let file = dir.appendingPathComponent("bad.json")
        try Data(#"{"status_ttl": 0}"#.utf8).write(to: file)
        let bad = try CLI.run(["config", "check", file.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(#"\#(file.path): key "status_ttl" (VOUCH_STATUS_TTL): must be an integer from 1 to 86400"#),
                "\(bad.stderr)")
        let missing = try CLI.run(["config", "check", dir.appendingPathComponent("none.json").path])
        #expect(missing.status == 2 && missing.stderr.contains("none.json: cannot be read"), "\(missing.stderr)")
    }
}
