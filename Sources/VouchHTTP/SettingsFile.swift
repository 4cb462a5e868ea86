public import Configuration
public import Foundation
import SystemPackage
import VouchCore
import VouchVerifier

/// A JSON configuration file (`vouch serve --config vouch.json`, or `VOUCH_CONFIG`).
///
/// JSON rather than YAML: swift-configuration reads it with its default trait,
/// so no YAML parser (Yams and its C library) joins the build, and it is the
/// format of everything else the service speaks. Keys are the ``Setting``
/// keys (`"data_dir": "state"`); a dotted key is a nested object
/// (`"http": {"serverName": "vouch"}`). The file is checked before use:
/// strict JSON, at most 64 KiB, only known keys (a typo would silently leave a
/// default in place, so it gets a "did you mean"), and each value of its
/// setting's kind. Values are then read through swift-configuration's
/// `FileProvider<JSONSnapshot>`; secret settings are marked secret there.
public struct SettingsFile: Sendable {
    public static let maximumSize = 64 * 1024

    /// The file, as given.
    public let path: String
    /// Its directory: relative paths in the file are relative to it, not to where `vouch` starts.
    public let directory: URL
    /// The settings the file sets.
    public let settings: [Setting]
    let provider: FileProvider<JSONSnapshot>

    /// Reads and checks a configuration file.
    ///
    /// - Throws: ``ConfigurationError`` whose `variable` is the path and whose message names the key and the problem.
    public static func load(path: String) async throws(ConfigurationError) -> SettingsFile {
        let object = try check(bytes: try read(path), path: path)
        let settings = Setting.all.filter { object.keys.contains($0.key) }
        let secrets = Set(Setting.all.filter(\.isSecret).map(\.key))
        let provider: FileProvider<JSONSnapshot>
        do {
            provider = try await FileProvider<JSONSnapshot>(
                parsingOptions: .init(secretsSpecifier: .dynamic { key, _ in secrets.contains(key) }),
                filePath: FilePath(path))
        } catch {
            throw ConfigurationError(variable: path, message: "cannot be read (\(error))")
        }
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        return SettingsFile(path: path, directory: directory, settings: settings, provider: provider)
    }

    static func read(_ path: String) throws(ConfigurationError) -> [UInt8] {
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            let bytes = [UInt8](try handle.read(upToCount: maximumSize + 1) ?? Data())
            guard bytes.count <= maximumSize else {
                throw ConfigurationError(variable: path, message: "is over \(maximumSize / 1024) KiB")
            }
            return bytes
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(variable: path, message: "cannot be read (\(error.localizedDescription))")
        }
    }

    /// The file's settings by dotted key, each checked against its ``Setting``.
    static func check(bytes: [UInt8], path: String) throws(ConfigurationError) -> [String: LogicValue] {
        let document: LogicValue
        do {
            document = try LogicValue(json: bytes)
        } catch {
            throw ConfigurationError(variable: path, message: "\(error)")
        }
        guard case .object(let top) = document else {
            throw ConfigurationError(variable: path, message: "must be a JSON object of settings, not \(document.typeName)")
        }
        var flat: [String: LogicValue] = [:]
        func flatten(_ object: [String: LogicValue], prefix: String) throws(ConfigurationError) {
            for (name, value) in object.sorted(by: { $0.key < $1.key }) {
                let key = prefix + name
                if case .object(let nested) = value, Setting.named(key) == nil,
                   Setting.all.contains(where: { $0.key.hasPrefix(key + ".") }) {
                    try flatten(nested, prefix: key + ".")
                    continue
                }
                guard let setting = Setting.named(key) else {
                    throw ConfigurationError(variable: path, message: "unknown key \"\(key)\""
                        + NameSuggestion.didYouMean(key, among: Setting.all.map(\.key)))
                }
                guard value.fits(setting.kind) else {
                    throw ConfigurationError(variable: path, message: "key \"\(key)\" (\(setting.variable)): must be "
                        + "\(setting.kindName), not \(value.typeName)")
                }
                flat[key] = value
            }
        }
        try flatten(top, prefix: "")
        return flat
    }
}

extension LogicValue {
    /// Whether a file value is of a setting's kind (a number for an integer setting must be whole).
    func fits(_ kind: Setting.Kind) -> Bool {
        switch (kind, self) {
        case (.string, .string), (.path, .string), (.number, .number): true
        case (.integer, .number(let value)): value.rounded(.towardZero) == value && abs(value) < 9e15
        default: false
        }
    }
}
