import Foundation
import Testing
import VouchCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `vouch revoke` against a live `vouch serve`, and `vouch verify` reading the same store's status lists.
@Suite(.serialized) struct RevokeCLITests {
    let dir: URL
    var data: String { dir.appendingPathComponent("data").path }

    init() throws { dir = try CLI.temporaryDirectory() }

    @Test func usageErrorsExitWith2() throws {
        let id = String(repeating: "ab", count: 16)
        let environment = ["VOUCH_API_KEY": ""]
        #expect(try CLI.run(["revoke"], environment: environment).status == 2)
        #expect(try CLI.run(["revoke", "xyz", "--key", "k"], environment: environment).status == 2)
        #expect(try CLI.run(["revoke", id.uppercased(), "--key", "k"], environment: environment).status == 2)
        #expect(try CLI.run(["revoke", id, "--suspend", "--reinstate", "--key", "k"], environment: environment).status == 2)
        let noKey = try CLI.run(["revoke", id], environment: environment)
        #expect(noKey.status == 2)
        #expect(noKey.stderr.contains("VOUCH_API_KEY"))
        let badURL = try CLI.run(["revoke", id, "--key", "k", "--url", "ftp://x"], environment: environment)
        #expect(badURL.status == 2)
        // Nothing listens on port 9 (discard) of the loopback.
        let unreachable = try CLI.run(["revoke", id, "--key", "k", "--url", "http://127.0.0.1:9"], environment: environment)
        #expect(unreachable.status == 2, "\(unreachable.stderr)")
    }

    /// A real pipe: `verify` starts before `issue` has recorded anything, and must still see its status list.
    @Test func issuePipedIntoVerifyInAShell() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLI.run(["init", "--data-dir", data]).status == 0)
        let vouch = CLI.executable.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // An identity code: a static code under a shipped policy that requires status (age sales need a wallet).
        process.arguments = ["-c", "'\(vouch)' issue identity --given-name Ada --family-name Lovelace --birth-date 1990-12-10"
            + " --data-dir '\(data)' | '\(vouch)' verify - --policy identity-account-opening --data-dir '\(data)'"]
        process.currentDirectoryURL = CLI.packageRoot
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.split(separator: "\n").count == 1)
        #expect(output.split(separator: "\n").allSatisfy { $0.hasPrefix("ACCEPT") }, "\(output)")
    }

    @Test func revokeOverHTTPAndVerifyFromTheLocalStore() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try CLI.run(["apikey", "create", "--scope", "issue,revoke", "--data-dir", data])
        #expect(key.status == 0, "\(key.stderr)")
        let secret = key.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try await Server.start(dataDirectory: data, in: dir)
        defer { server.stop() }

        // An identity code: static codes are what the HTTP issuance routes make, and age sales need a wallet.
        let issued = try await server.post("/v1/attestations/identity",
                                           json: #"{"given_name": "Ada", "family_name": "Lovelace", "birth_date": "1990-12-10"}"#,
                                           key: secret)
        let attestation = try #require((issued["attestations"] as? [[String: Any]])?.first)
        let id = try #require(attestation["id"] as? String)
        let token = try #require(attestation["token"] as? String)
        #expect(try DecodedAttestation(text: token).claims.status?.uri == server.url + "/v1/status/0")

        // The issuer machine verifies offline from its own store, while the server runs.
        let accepted = try CLI.run(["verify", "-", "--policy", "identity-account-opening", "--data-dir", data], input: token)
        #expect(accepted.status == 0, "\(accepted.stdout) \(accepted.stderr)")

        let suspend = try CLI.run(["revoke", id, "--suspend", "--url", server.url, "--reason", "lost"],
                                  environment: ["VOUCH_API_KEY": secret])
        #expect(suspend.status == 0, "\(suspend.stderr)")
        #expect(suspend.stdout.contains("valid -> suspended"))
        let suspended = try CLI.run(["verify", "-", "--policy", "identity-account-opening", "--data-dir", data, "--json"], input: token)
        #expect(suspended.status == 1)
        #expect(suspended.stdout.contains("\"suspended\""), "\(suspended.stdout)")

        let reinstate = try CLI.run(["revoke", id, "--reinstate", "--url", server.url, "--key", secret])
        #expect(reinstate.status == 0, "\(reinstate.stderr)")
        #expect(try CLI.run(["verify", token, "--policy", "identity-account-opening", "--data-dir", data]).status == 0)

        let revoke = try CLI.run(["revoke", id, "--url", server.url, "--key", secret, "--json"])
        #expect(revoke.status == 0, "\(revoke.stderr)")
        #expect(revoke.stdout.contains("\"revoked\""))
        let revoked = try CLI.run(["verify", token, "--policy", "identity-account-opening", "--data-dir", data])
        #expect(revoked.status == 1)
        #expect(revoked.stdout.hasPrefix("REJECT revoked"), "\(revoked.stdout)")
        // The server's own verifier agrees.
        let decision = try await server.post("/v1/verify", json: #"{"token": "\#(token)", "policy": "identity-account-opening"}"#)
        #expect(decision["reason"] as? String == "revoked")

        // Idempotent; final; refusals exit 1.
        let again = try CLI.run(["revoke", id, "--url", server.url, "--key", secret])
        #expect(again.status == 0)
        #expect(again.stdout.contains("already revoked"))
        let undo = try CLI.run(["revoke", id, "--reinstate", "--url", server.url, "--key", secret])
        #expect(undo.status == 1)
        #expect(undo.stderr.contains("409"))
        let unknown = try CLI.run(["revoke", String(repeating: "0", count: 32), "--url", server.url, "--key", secret])
        #expect(unknown.status == 1)
        let wrongKey = try CLI.run(["revoke", id, "--url", server.url, "--key", "not-a-key"])
        #expect(wrongKey.status == 1)

        // The running server owns issuance from this store: a local `vouch issue` is refused, and writes nothing.
        let local = try CLI.run(["issue", "age", "--birth-date", "2000-01-01", "--data-dir", data])
        #expect(local.status == 2)
        #expect(local.stderr.contains("another process is issuing"), "\(local.stderr)")
        #expect(local.stdout.isEmpty)
    }
}

/// A `vouch serve` child process on a free loopback port.
struct Server {
    let process: Process
    let url: String

    static func start(dataDirectory: String, in directory: URL) async throws -> Server {
        let certs = directory.appendingPathComponent("Certs")
        try FileManager.default.createDirectory(at: certs, withIntermediateDirectories: true)
        for attempt in 0..<5 {
            let port = Int.random(in: 20_000..<60_000)
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--data-dir", dataDirectory]
            var environment = ProcessInfo.processInfo.environment
            environment["VOUCH_POLICIES_DIR"] = CLI.packageRoot.appendingPathComponent("Policies").path
            environment["VOUCH_CERTS_DIR"] = certs.path
            environment["LOG_LEVEL"] = "warning"
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let server = Server(process: process, url: "http://127.0.0.1:\(port)")
            for _ in 0..<200 where process.isRunning {
                if (try? await server.get("/healthz")) == 200 { return server }
                try await Task.sleep(for: .milliseconds(100))
            }
            server.stop()
            if attempt == 4 { break }
        }
        throw CLIError(description: "vouch serve did not start")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    func get(_ path: String) async throws -> Int {
        let (_, response) = try await URLSession(configuration: .ephemeral).data(from: URL(string: url + path)!)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    func post(_ path: String, json: String, key: String? = nil) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: url + path)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        request.httpBody = Data(json.utf8)
        let (data, _) = try await URLSession(configuration: .ephemeral).data(for: request)
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    struct CLIError: Error, CustomStringConvertible { let description: String }
}
