import VouchHTTP
import ArgumentParser
import Foundation
import Logging

/// The `vouch` command line.
///
/// Exit codes scripts can rely on (service.md): 0 accept/ok, 1 reject,
/// 2 usage or input error.
@main
struct Vouch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vouch",
        abstract: "Privacy-preserving age, status and identity attestations.",
        subcommands: [Serve.self, ConfigCommand.self, Init.self, Issue.self, Verify.self, Revoke.self, Inspect.self, QRCommand.self, APIKeyCommand.self, PolicyCommand.self, TrustCommand.self, LogCommand.self, Measure.self, TerminalCommand.self, WalletCommand.self, DatabaseCommand.self]
    )

    /// Runs the command, mapping ArgumentParser's usage failures (64) to exit code 2.
    static func main() async {
        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        do {
            // A bad VOUCH_CONFIG file stops every command before it reads a setting.
            try await Settings.start()
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            Console.error("vouch: \(error.description)")
            Foundation.exit(CLIError.usageExitCode)
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.error(fullMessage(for: error))
                Foundation.exit(CLIError.usageExitCode)
            }
            exit(withError: error)
        }
    }
}
