import VouchHTTP
import ArgumentParser
import Foundation
import Logging
import VouchCore
import VouchIssuer
import VouchServer
import VouchStore
import VouchVerifier

/// `vouch measure verify|issue`: the in-process rate of an operation, the
/// baseline that `make load` compares HTTP rates against in the same run.
struct Measure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure in-process verify or durable-issue rates (the baseline of make load).",
        shouldDisplay: false
    )

    @Argument(help: "verify or issue.") var operation: String
    @Option(help: "Seconds to run.") var seconds: Double = 5
    @Option(help: "Concurrent callers (issue).") var concurrency: Int = 32
    @Option(help: "Policy for verify.") var policy: String = "alcohol-uk"
    @OptionGroup var data: DataDirectoryOptions

    func run() async throws {
        let configuration = try ServerConfiguration(settings: Settings.current.overriding([.dataDir: data.url.path]))
        let logger = Logger(label: "vouch.measure")
        let services = try await VouchServices.start(configuration, logger: logger)
        let deadline = Date().addingTimeInterval(seconds)
        var count = 0
        let start = Date()
        switch operation {
        case "verify":
            // A recorded code with a status slot, and its list in the verifier's cache, as `POST /v1/verify` has it.
            let token = try await services.issueOne().text
            await services.statusLists.refreshCache(for: token)
            while Date() < deadline {
                for _ in 0..<100 {
                    let decision = try services.verifier.verify(token, policyID: policy, now: Date())
                    guard decision.accepted else { throw CLIError.input("token not accepted: \(decision.reason)") }
                }
                count += 100
            }
        case "issue":
            count = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        var done = 0
                        while Date() < deadline {
                            _ = try await services.issueOne()
                            done += 1
                        }
                        return done
                    }
                }
                return try await group.reduce(0, +)
            }
        default:
            throw CLIError.input("operation must be verify or issue")
        }
        let elapsed = Date().timeIntervalSince(start)
        print(String(format: "%@ %.1f ops/s (%d in %.2f s)", operation, Double(count) / elapsed, count, elapsed))
    }
}

extension VouchServices {
    /// What `POST /v1/attestations/age` does for one threshold, minus HTTP: reserve a status slot, sign,
    /// then commit durably.
    func issueOne() async throws -> IssuedAttestation {
        let slots = StatusReservations(statusLists.allocator)
        let attestation = try issuer.issueAge(birthDate: "1990-01-01", now: Date(), thresholds: [18],
                                              status: { try slots.reserve() })[0]
        return try await slots.commit([attestation], to: writer, kid: issuer.kid)[0]
    }
}
