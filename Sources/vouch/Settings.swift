import Foundation
import VouchServer

/// The settings every command reads: the process environment over the
/// configuration file that `VOUCH_CONFIG` names, if any (`vouch serve
/// --config FILE` names one for the service alone).
enum Settings {
    struct Loaded: Sendable {
        /// `VOUCH_*` variables as a command sees them: the environment's, else the file's.
        let environment: [String: String]
        let file: ConfigurationFile?
    }

    /// Read once, at start; `main` stops with exit code 2 if the file is bad.
    static let loaded: Result<Loaded, CLIError> = load(file: ProcessInfo.processInfo.environment["VOUCH_CONFIG"],
                                                       environment: ProcessInfo.processInfo.environment)

    /// The variables commands read (the process environment alone if the file could not be read).
    static var environment: [String: String] {
        (try? loaded.get())?.environment ?? ProcessInfo.processInfo.environment
    }

    static func load(file path: String?, environment: [String: String]) -> Result<Loaded, CLIError> {
        guard let path, !path.isEmpty else { return .success(Loaded(environment: environment, file: nil)) }
        do {
            let file = try ConfigurationFile(path: path)
            return .success(Loaded(environment: file.underlying(environment), file: file))
        } catch {
            return .failure(CLIError.input("configuration: \(error)"))
        }
    }
}
