import VouchHTTP
import ArgumentParser
import Foundation
import VouchCore
import VouchCrypto
import VouchVerifier

/// `vouch verify TEXT --policy ID`: the checkout decision, offline.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a code against a policy, offline. Exit 0 accept, 1 reject, 2 usage error.",
        discussion: """
            With TEXT = - codes are read from standard input, one per line; each gets a decision. When the \
            data directory holds an issuer's store, its status lists are signed and checked as a terminal \
            would receive them, so revocations made on this machine count; otherwise no list is at hand \
            and a policy with "status": "required" answers status_unavailable.
            """
    )

    @Argument(help: "The VCH1 code or VCP1 presentation text, or - for standard input.") var text: String
    @Option(help: "Policy id, e.g. alcohol-uk (see `vouch policy list`).") var policy: String
    @Option(help: "Verify as of this time (ISO 8601, or Unix seconds) instead of now.") var at: String?
    @Flag(help: "Print the decision as JSON.") var json = false
    @OptionGroup var verifierOptions: VerifierOptions

    func run() async throws {
        let now = try Self.parseTime(at)
        let policies = try verifierOptions.policyStore()
        guard policies.policy(id: policy) != nil else {
            throw CLIError.input("unknown policy \"\(policy)\"; known: \(policies.all.map(\.id).joined(separator: ", "))")
        }
        let trust = try verifierOptions.trustStore()
        // Input first: in `vouch issue ... | vouch verify -` the codes are recorded only once the issue has finished.
        let input = try Console.readText(text)
        let statusLists = await LocalStatusLists.cache(dataDirectory: verifierOptions.data.url, trustStore: trust, now: now)
        let verifier = Verifier(trustStore: trust, policies: policies, statusSource: statusLists)
        let codes = text == "-" ? input.split(whereSeparator: \.isNewline).map(String.init) : [input]
        guard !codes.isEmpty else { throw CLIError.input("no code given") }
        var allAccepted = true
        for code in codes {
            let decision = try verifier.verify(code, policyID: policy, now: now)
            allAccepted = allAccepted && decision.accepted
            print(json ? Console.json(DecisionJSON.object(decision)) : DecisionJSON.line(decision))
        }
        if !allAccepted { throw ExitCode(1) }
    }

    static func parseTime(_ text: String?) throws -> Date {
        guard let text else { return Date() }
        if let seconds = Double(text), seconds.isFinite { return Date(timeIntervalSince1970: seconds) }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        if let date = formatter.date(from: text) { return date }
        throw CLIError.input("--at: \"\(text)\" is not an ISO 8601 time or Unix seconds")
    }
}

/// How decisions are shown on the command line and in JSON.
enum DecisionJSON {
    static func object(_ decision: Decision) -> [String: Any] { decision.jsonObject }

    static func line(_ decision: Decision) -> String {
        let facts = decision.disclosed.keys.sorted().map { name -> String in
            switch decision.disclosed[name]! {
            case .bool(let b): return "\(name)=\(b)"
            case .text(let t): return "\(name)=\(t)"
            case .number(let n): return "\(name)=\(n)"
            }
        }
        let head = decision.accepted ? "ACCEPT" : "REJECT \(decision.reason.rawValue)"
        return ([head, "(\(decision.reason.message))"] + facts).joined(separator: " ")
    }
}
