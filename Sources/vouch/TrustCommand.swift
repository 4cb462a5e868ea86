import VouchHTTP
import ArgumentParser
import Foundation
import VouchCore
import VouchCrypto
import VouchVerifier

/// `vouch trust list`.
struct TrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust", abstract: "Inspect the trust store.", subcommands: [List.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List trusted roots, issuer certificates (kid, fingerprint, validity) and log receipt keys.")
        @OptionGroup var verifierOptions: VerifierOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let snapshot = try verifierOptions.trustStore().snapshot
            let formatter = ISO8601DateFormatter()
            let roots: [[String: Any]] = snapshot.roots.map {
                ["subject": $0.subject, "sha256": $0.sha256Fingerprint.hexString,
                 "not_before": formatter.string(from: $0.notValidBefore),
                 "not_after": formatter.string(from: $0.notValidAfter)]
            }
            let issuers: [[String: Any]] = snapshot.issuers.map {
                var entry: [String: Any] = [
                    "subject": $0.certificate.subject, "kid": $0.certificate.kid.hexString, "sha256": $0.fingerprint,
                    "not_before": formatter.string(from: $0.certificate.notValidBefore),
                    "not_after": formatter.string(from: $0.certificate.notValidAfter), "trusted": $0.trustedInterval != nil,
                ]
                if let problem = $0.problem { entry["problem"] = problem }
                return entry
            }
            let receiptKeys: [[String: Any]] = snapshot.receiptKeys.map {
                ["origin": $0.origin, "algorithm": $0.publicKey.algorithm.name,
                 "sha256": Digest.sha256($0.publicKey.spkiDER).hexString]
            }
            if json {
                print(Console.json(["roots": roots, "issuers": issuers, "receipt_keys": receiptKeys]))
                return
            }
            print("roots (\(roots.count)):")
            for root in roots { print("  \(root["subject"]!)  sha256 \(root["sha256"]!)  until \(root["not_after"]!)") }
            print("issuers (\(issuers.count)):")
            for issuer in issuers {
                let state = (issuer["trusted"] as? Bool) == true ? "trusted" : "NOT TRUSTED: \(issuer["problem"] ?? "")"
                print("  kid \(issuer["kid"]!)  \(issuer["subject"]!)  \(state)  until \(issuer["not_after"]!)")
            }
            print("log receipt keys (\(receiptKeys.count)):")
            for key in receiptKeys { print("  \(key["origin"]!)  \(key["algorithm"]!)  sha256 \(key["sha256"]!)") }
        }
    }
}
