import VouchTerminal
import VouchHTTP
import ArgumentParser
import Foundation
import Logging
import VouchServer

/// `vouch config show` and `vouch config check FILE`.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the merged configuration, or check a configuration file.",
        discussion: """
            Settings come from command-line options, then VOUCH_* variables (and LOG_LEVEL), then the JSON \
            file of --config or VOUCH_CONFIG, through one swift-configuration ConfigReader. Secrets (issuer_key, \
            api_key) are never printed.
            """,
        subcommands: [Show.self, Check.self]
    )

    /// `vouch config show`: every setting, its value (secrets redacted) and where it came from.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting with its value and source; secrets are redacted.")

        @Option(help: "Configuration file (JSON; default: $VOUCH_CONFIG).") var config: String?

        func run() async throws {
            let settings = if let config { try await Settings.load(file: config) } else { Settings.current }
            try ConfigCommand.validate(settings)
            let width = Setting.all.map(\.key.count).max() ?? 0
            for setting in Setting.all {
                let origin = try settings.origin(of: setting)
                let value: String
                if origin == nil {
                    value = setting.defaultText ?? "(unset)"
                } else if setting.isSecret || settings.isMarkedSecret(setting) {
                    value = "<redacted>"
                } else {
                    value = try ConfigCommand.text(setting, settings) ?? ""
                }
                let source = switch origin {
                case .commandLine: "command line"
                case .environment: setting.variable
                case .file(let path): path
                case nil: setting.defaultText == nil ? "" : "default"
                }
                let padded = setting.key.padding(toLength: width, withPad: " ", startingAt: 0)
                print("\(padded)  \(value)" + (source.isEmpty ? "" : "  (\(source))"))
            }
        }
    }

    /// `vouch config check FILE`: the file alone, as `vouch serve` would read it.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration file: JSON, known keys, each value's kind and range (exit 2 if not).")

        @Argument(help: "The JSON configuration file.") var file: String

        func run() async throws {
            let settings = try await Settings.load(file: file, environment: [:])
            try ConfigCommand.validate(settings)
            print("\(file): ok (\(settings.file?.settings.count ?? 0) settings)")
        }
    }

    /// Reads every setting as `vouch serve` does, so a bad value fails here with its source named.
    static func validate(_ settings: VouchSettings) throws {
        do {
            _ = try ServerConfiguration(settings: settings)
            _ = try Serve.logLevel(settings)
            if try ServerRole(settings: settings) == .terminal { _ = try TerminalConfiguration(settings: settings) }
        } catch {
            throw CLIError.input("configuration: \(error)")
        }
    }

    static func text(_ setting: Setting, _ settings: VouchSettings) throws -> String? {
        switch setting.kind {
        case .string, .path: try settings.string(setting)
        case .number: try settings.number(setting).map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : String($0) }
        case .integer: try settings.integer(setting).map(String.init)
        }
    }
}
