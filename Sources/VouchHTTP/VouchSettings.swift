public import Configuration
public import Foundation

/// The merged configuration: one swift-configuration `ConfigReader` over the
/// command line, then the environment, then the configuration file.
///
/// Built once at start (``init(arguments:environment:file:)``) and passed
/// down: ``ServerConfiguration``, ``TerminalConfiguration``,
/// ``StatusListConfiguration`` and Hummingbird's own `ApplicationConfiguration`
/// read from it. The `ConfigReader` alone cannot say where a value came from
/// (it swallows a value of the wrong kind and falls back to the default), so
/// each read first asks the sources in the same order: a value of the wrong
/// kind is an error naming its source, and ``invalid(_:_:)`` names the source
/// of a value the caller refuses: the variable (`VOUCH_LISTEN`), the option
/// (`--listen`) or the file with the key.
public struct VouchSettings: Sendable {
    /// Where a value came from.
    public enum Origin: Sendable, Equatable {
        case commandLine
        case environment
        case file(String)
    }

    /// The one reader; everything reads its values through it.
    public let reader: ConfigReader
    /// The file, if one was given.
    public let file: SettingsFile?
    let sources: [(origin: Origin, provider: any ConfigProvider)]
    let arguments: [Setting: String]
    let environment: [String: String]

    /// - Parameters:
    ///   - arguments: Values the command line set (its options), by setting; they override everything.
    ///   - environment: The process environment (`VOUCH_*`, `LOG_LEVEL`); secrets marked secret.
    ///   - file: A loaded configuration file, read last.
    public init(arguments: [Setting: String] = [:],
                environment: [String: String] = ProcessInfo.processInfo.environment, file: SettingsFile? = nil) {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (setting, text) in arguments {
            values[AbsoluteConfigKey(ConfigKey(setting.key))] = ConfigValue(setting.content(text), isSecret: setting.isSecret)
        }
        let secretVariables = Set(Setting.all.filter(\.isSecret).map(\.variable))
        let variables = EnvironmentVariablesProvider(environmentVariables: environment,
                                                     secretsSpecifier: .specific(secretVariables))
        // `vouch.listen` is VOUCH_LISTEN; a setting whose variable has no VOUCH_ prefix (LOG_LEVEL) keeps its key.
        let prefixed = Set(Setting.all.filter { $0.variable.hasPrefix("VOUCH_") }.map(\.key))
        let environmentSource = KeyMappingProvider(upstream: variables) { key in
            prefixed.contains(key.description) ? key.prepending(["vouch"]) : key
        }
        var sources: [(origin: Origin, provider: any ConfigProvider)] = [
            (.commandLine, InMemoryProvider(name: "command line", values: values)),
            (.environment, environmentSource),
        ]
        if let file { sources.append((.file(file.path), file.provider)) }
        self.sources = sources
        self.arguments = arguments
        self.environment = environment
        self.file = file
        self.reader = ConfigReader(providers: sources.map(\.provider))
    }

    /// The same sources with more command-line values on top (a command's own options).
    public func overriding(_ more: [Setting: String]) -> VouchSettings {
        VouchSettings(arguments: arguments.merging(more) { _, new in new }, environment: environment, file: file)
    }

    /// Checks that every setting any source holds is of its kind, so later reads cannot fail on one.
    ///
    /// - Throws: ``ConfigurationError`` naming the first bad value and its source.
    public func checkKinds() throws(ConfigurationError) {
        for setting in Setting.all { _ = try origin(of: setting) }
    }

    /// Text of a string or path setting; a relative path from the file is resolved against the file's directory.
    public func string(_ setting: Setting) throws(ConfigurationError) -> String? {
        guard let origin = try origin(of: setting),
              let text = reader.string(forKey: ConfigKey(setting.key), isSecret: setting.isSecret)
        else { return nil }
        if setting.kind == .path, case .file = origin, let file, !text.isEmpty, !text.hasPrefix("/") {
            return file.directory.appendingPathComponent(text).standardizedFileURL.path
        }
        return text
    }

    /// A number setting.
    public func number(_ setting: Setting) throws(ConfigurationError) -> Double? {
        guard try origin(of: setting) != nil else { return nil }
        return reader.double(forKey: ConfigKey(setting.key), isSecret: setting.isSecret)
    }

    /// An integer setting.
    public func integer(_ setting: Setting) throws(ConfigurationError) -> Int? {
        guard try origin(of: setting) != nil else { return nil }
        return reader.int(forKey: ConfigKey(setting.key), isSecret: setting.isSecret)
    }

    /// Which source sets `setting`, or nil if none does.
    ///
    /// - Throws: ``ConfigurationError`` if the first source that has it holds a value of the wrong kind.
    public func origin(of setting: Setting) throws(ConfigurationError) -> Origin? {
        let key = AbsoluteConfigKey(ConfigKey(setting.key))
        for source in sources {
            do {
                if try source.provider.value(forKey: key, type: setting.configType).value != nil { return source.origin }
            } catch {
                throw invalid(setting, "must be \(setting.kindName)", from: source.origin)
            }
        }
        return nil
    }

    /// Whether the source that sets `setting` marks its value secret (what `vouch config show` redacts).
    public func isMarkedSecret(_ setting: Setting) -> Bool {
        let key = AbsoluteConfigKey(ConfigKey(setting.key))
        for source in sources {
            if let value = try? source.provider.value(forKey: key, type: setting.configType).value { return value.isSecret }
        }
        return false
    }

    /// An error about the value `setting` has, naming where it came from.
    public func invalid(_ setting: Setting, _ message: String) -> ConfigurationError {
        invalid(setting, message, from: (try? origin(of: setting)) ?? .environment)
    }

    func invalid(_ setting: Setting, _ message: String, from origin: Origin?) -> ConfigurationError {
        switch origin {
        case .commandLine: ConfigurationError(variable: "--" + setting.key.replacingOccurrences(of: "_", with: "-"),
                                              message: message)
        case .file(let path): ConfigurationError(variable: path,
                                                 message: "key \"\(setting.key)\" (\(setting.variable)): \(message)")
        case .environment, nil: ConfigurationError(variable: setting.variable, message: message)
        }
    }
}

extension Setting {
    /// The type the reader asks its providers for.
    var configType: ConfigType {
        switch kind {
        case .string, .path: .string
        case .number: .double
        case .integer: .int
        }
    }

    /// A command-line option's text as the value the reader expects (options are checked by ArgumentParser).
    func content(_ text: String) -> ConfigContent {
        switch kind {
        case .string, .path: .string(text)
        case .number: Double(text).map { .double($0) } ?? .string(text)
        case .integer: Int(text).map { .int($0) } ?? .string(text)
        }
    }
}
