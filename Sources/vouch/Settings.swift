import VouchHTTP
import Foundation
import Synchronization
import VouchServer

/// The settings every command reads: one ``VouchSettings`` (its swift-configuration
/// `ConfigReader` layers the command's options, the environment, then the JSON
/// file that `VOUCH_CONFIG` names, if any; `vouch serve --config FILE` names
/// one for the service alone).
enum Settings {
    private static let store = Mutex<VouchSettings?>(nil)

    /// The settings loaded at start by ``start()``; the environment alone before that.
    static var current: VouchSettings { store.withLock { $0 } ?? VouchSettings() }

    /// Loads `VOUCH_CONFIG` and checks every value's kind; `main` stops with exit code 2 if either is bad.
    static func start() async throws(CLIError) {
        let settings = try await load(file: ProcessInfo.processInfo.environment["VOUCH_CONFIG"])
        store.withLock { $0 = settings }
    }

    /// The environment over `file` (if any), with `arguments` over both.
    static func load(arguments: [Setting: String] = [:], file path: String?,
                     environment: [String: String] = ProcessInfo.processInfo.environment) async throws(CLIError)
        -> VouchSettings {
        do {
            var file: SettingsFile?
            if let path, !path.isEmpty { file = try await SettingsFile.load(path: path) }
            let settings = VouchSettings(arguments: arguments, environment: environment, file: file)
            try settings.checkKinds()
            return settings
        } catch {
            throw CLIError.input("configuration: \(error)")
        }
    }

    /// A string or path setting for a command (kinds were checked at start).
    static func string(_ setting: Setting) -> String? { try? current.string(setting) }
}
