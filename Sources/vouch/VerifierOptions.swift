import VouchHTTP
import ArgumentParser
import Foundation
import VouchServer
import VouchVerifier

/// Where a verifier finds its trust store and policies.
struct VerifierOptions: ParsableArguments {
    @Option(help: "Trust store directory with roots/ and issuers/ (default: $VOUCH_CERTS_DIR or ./Certs).")
    var certs: String?

    @Option(help: "Policy directory (default: $VOUCH_POLICIES_DIR or ./Policies).")
    var policies: String?

    @OptionGroup var data: DataDirectoryOptions

    var certsURL: URL {
        URL(fileURLWithPath: certs ?? Settings.string(.certsDir) ?? "Certs", isDirectory: true)
    }

    var policiesURL: URL {
        URL(fileURLWithPath: policies ?? Settings.string(.policiesDir) ?? "Policies",
            isDirectory: true)
    }

    func trustStore() throws -> TrustStore {
        do {
            return try TrustStore(sources: .standard(certs: certsURL, dataDirectory: data.url))
        } catch {
            throw CLIError.input("cannot load the trust store: \(error)")
        }
    }

    func policyStore() throws -> PolicyStore {
        do {
            return try PolicyStore.load(directory: policiesURL)
        } catch {
            throw CLIError.input("cannot load policies from \(policiesURL.path):\n\(error)")
        }
    }
}
