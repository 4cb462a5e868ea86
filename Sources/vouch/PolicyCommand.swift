import VouchHTTP
import ArgumentParser
import Foundation
import VouchServer
import VouchVerifier

/// `vouch policy lint|list`.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Check and list policies.", subcommands: [Lint.self, List.self])

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every policy file strictly; names file, field and problem. Exit 2 on any error.")

        @Argument(help: "Policy directory (default: $VOUCH_POLICIES_DIR or ./Policies).") var directory: String?

        func run() throws {
            let url = URL(fileURLWithPath: directory ?? Settings.string(.policiesDir)
                              ?? "Policies", isDirectory: true)
            let errors = PolicyStore.lint(directory: url)
            if errors.isEmpty {
                let store = try PolicyStore.load(directory: url)
                print("\(store.all.count) policies OK in \(url.path)")
                return
            }
            for error in errors { Console.error("\(error)") }
            Console.error("\(errors.count) problem\(errors.count == 1 ? "" : "s") in \(url.path)")
            throw ExitCode(CLIError.usageExitCode)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the policies.")
        @OptionGroup var verifierOptions: VerifierOptions

        func run() throws {
            for policy in try verifierOptions.policyStore().all {
                print("\(policy.id)\t\(policy.title)")
            }
        }
    }
}
