public import Foundation
import VouchCore

/// A `vouch.toml` configuration file: the `VOUCH_*` variables written as
/// `key = value` lines (`listen = "0.0.0.0:8080"` is `VOUCH_LISTEN`).
///
/// Environment variables override the file and command-line options override
/// both, so one file can hold a site's settings while a deployment changes
/// one of them. Relative paths in the file are relative to the file's own
/// directory, not to where `vouch` is started. Unknown keys are an error
/// with a "did you mean", as a typo must not silently leave a default in
/// place; so is a value of the wrong kind. The file holds no secrets: keys
/// and API keys stay in their own files and variables.
public struct ConfigurationFile: Sendable {
    /// What one key of the file sets.
    public struct Key: Sendable {
        public let variable: String
        public let isNumber: Bool
        public let isPath: Bool
    }

    /// Every key a configuration file may hold, with its variable.
    public static let keys: [String: Key] = {
        var keys: [String: Key] = [:]
        for name in ["listen", "issuer", "public_url", "time_zone", "log_origin", "role", "upstream"] {
            keys[name] = Key(variable: "VOUCH_" + name.uppercased(), isNumber: false, isPath: false)
        }
        for name in ["data_dir", "certs_dir", "policies_dir", "issuer_cert", "issuer_key", "upstream_root"] {
            keys[name] = Key(variable: "VOUCH_" + name.uppercased(), isNumber: false, isPath: true)
        }
        for name in ["rate_limit", "api_key_cache_seconds", "status_list_size", "status_ttl", "status_validity",
                     "sync_interval", "offer_seconds", "wallet_batch_size", "wallet_max_batch",
                     "wallet_refresh_seconds"] {
            keys[name] = Key(variable: "VOUCH_" + name.uppercased(), isNumber: true, isPath: false)
        }
        keys["log_level"] = Key(variable: "LOG_LEVEL", isNumber: false, isPath: false)
        return keys
    }()

    /// The file, as given.
    public let path: String
    /// The variables the file sets, as text the variable parsers read.
    public let variables: [String: String]
    /// For each variable the file set, its key and line (to name them in errors).
    public let origins: [String: (key: String, line: Int)]

    /// Reads and checks a configuration file.
    ///
    /// - Throws: ``ConfigurationError`` whose `variable` is `path:line` and whose message names the key.
    public init(path: String) throws {
        self.path = path
        let bytes: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            bytes = [UInt8](try handle.read(upToCount: TOMLSubset.maximumSize + 1) ?? Data())
        } catch {
            throw ConfigurationError(variable: path, message: "cannot be read (\(error.localizedDescription))")
        }
        let entries: [TOMLSubset.Entry]
        do {
            entries = try TOMLSubset.parse(bytes)
        } catch {
            throw ConfigurationError(variable: "\(path):\(error.line)", message: error.message)
        }
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        var variables: [String: String] = [:]
        var origins: [String: (key: String, line: Int)] = [:]
        for entry in entries {
            let place = "\(path):\(entry.line)"
            guard let key = Self.keys[entry.key] else {
                throw ConfigurationError(variable: place, message: "unknown key \"\(entry.key)\""
                    + NameSuggestion.didYouMean(entry.key, among: Self.keys.keys.sorted()))
            }
            var text: String
            switch entry.value {
            case .string(let string) where !key.isNumber:
                text = string
            case .integer where key.isNumber, .float where key.isNumber:
                text = entry.value.description
            default:
                throw ConfigurationError(variable: place, message: "\"\(entry.key)\" must be "
                    + (key.isNumber ? "a number" : "a string") + ", not \(entry.value.kindName)")
            }
            if key.isPath, !text.isEmpty, !text.hasPrefix("/") {
                text = directory.appendingPathComponent(text).standardizedFileURL.path
            }
            variables[key.variable] = text
            origins[key.variable] = (entry.key, entry.line)
        }
        self.variables = variables
        self.origins = origins
    }

    /// The environment a service runs with: `environment` over this file's variables.
    public func underlying(_ environment: [String: String]) -> [String: String] {
        variables.merging(environment) { _, fromEnvironment in fromEnvironment }
    }

    /// Rewrites an error about a variable this file set so that it names the file, line and key.
    public func located(_ error: ConfigurationError, environment: [String: String]) -> ConfigurationError {
        guard environment[error.variable] == nil, let origin = origins[error.variable] else { return error }
        return ConfigurationError(variable: "\(path):\(origin.line)",
                                  message: "\(origin.key) (\(error.variable)): \(error.message)")
    }
}
