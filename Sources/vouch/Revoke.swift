import VouchHTTP
import ArgumentParser
import Foundation
import VouchServer
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `vouch revoke ID`: revoke, suspend or reinstate an attestation on the running server.
///
/// It goes over HTTP because the server owns the store's single writer (and
/// the audit log it sequences); the change is logged and the status list re-signed there.
struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Revoke, suspend or reinstate an attestation on a running server. Exit 0 done, 1 refused, 2 usage error.",
        discussion: """
            Revocation is final; a suspended attestation can be reinstated. Terminals learn of the change \
            when they next fetch the status list (its ttl, 5 minutes by default). Environment: VOUCH_URL, \
            VOUCH_API_KEY (an API key with the revoke scope; prefer it to --key, which other users can see).
            """
    )

    @Argument(help: "The attestation id (32 lowercase hex digits, as issued).") var id: String
    @Flag(help: "Suspend instead of revoking (can be undone with --reinstate).") var suspend = false
    @Flag(help: "Make a suspended attestation valid again.") var reinstate = false
    @Option(help: "Why (kept in the server's request, at most 200 characters).") var reason: String?
    @Option(help: "The server's base URL (default: $VOUCH_URL or http://127.0.0.1:8080).") var url: String?
    @Option(help: "An API key with the revoke scope (default: $VOUCH_API_KEY).") var key: String?
    @Flag(help: "Print the server's answer as JSON.") var json = false

    func validate() throws {
        guard !(suspend && reinstate) else { throw ValidationError("--suspend and --reinstate exclude each other") }
        guard id.utf8.count == 32, id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { throw ValidationError("ID must be the 32 lowercase hex digits of an attestation id") }
        if let reason, reason.unicodeScalars.count > 200 { throw ValidationError("--reason must be at most 200 characters") }
    }

    func run() async throws {
        let base = url ?? Settings.string(.url) ?? "http://127.0.0.1:8080"
        guard let secret = key ?? Settings.string(.apiKey), !secret.isEmpty else {
            throw CLIError.input("no API key: pass --key or set VOUCH_API_KEY")
        }
        let action = reinstate ? "reinstate" : "revoke"
        guard let endpoint = URL(string: base.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            + "/v1/attestations/\(id)/\(action)"), ["http", "https"].contains(endpoint.scheme ?? "")
        else { throw CLIError.input("--url: \"\(base)\" is not an http(s) URL") }

        var body: [String: Any] = [:]
        if !reinstate {
            if suspend { body["suspend"] = true }
            if let reason { body["reason"] = reason }
        }
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.timeoutInterval = 30
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(secret)", forHTTPHeaderField: "Authorization")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)

        let data: Data, response: URLResponse
        do {
            (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        } catch {
            throw CLIError.input("cannot reach \(base): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let answer = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        if json {
            print(Console.json(answer))
        }
        guard status == 200 else {
            let detail = answer["detail"] as? String ?? answer["title"] as? String ?? "HTTP \(status)"
            Console.error("vouch revoke: refused (\(status)): \(detail)")
            throw ExitCode(1)
        }
        if !json {
            let state = answer["state"] as? String ?? "?"
            let previous = answer["previous"] as? String ?? "?"
            print(state == previous ? "\(id) already \(state)" : "\(id) \(previous) -> \(state)")
        }
    }
}
