/// One configuration setting: its key in the configuration file, its `VOUCH_*`
/// variable, its kind and whether it is a secret.
///
/// Every setting the service and the CLI read is declared once, in
/// `Setting+catalog.swift`; ``VouchSettings`` reads it through one
/// swift-configuration `ConfigReader` (command line, then environment, then
/// file), `vouch config show` lists it and `vouch config check` validates it.
/// Adding a setting is one `static let` there plus its entry in ``all``.
public struct Setting: Sendable, Hashable {
    /// How a value is written and read.
    public enum Kind: Sendable, Hashable {
        /// Text (`"127.0.0.1:8080"`).
        case string
        /// A file or directory; relative paths in a file are relative to that file.
        case path
        /// Any number (`0.5`).
        case number
        /// A whole number (`300`).
        case integer
    }

    /// The key in the file and in `ConfigReader` (`data_dir`, or dotted for a nested object: `http.serverName`).
    public let key: String
    /// The environment variable (`VOUCH_DATA_DIR`).
    public let variable: String
    public let kind: Kind
    /// Redacted by `vouch config show` and marked secret in every `ConfigReader` access.
    public let isSecret: Bool
    /// What `vouch config show` prints when nothing sets it.
    public let defaultText: String?
    /// One line for `vouch config show` and the README.
    public let summary: String

    /// - Parameter variable: The variable's name if it is not `VOUCH_` and the key in upper case.
    public init(_ key: String, _ kind: Kind, secret: Bool = false, default defaultText: String? = nil,
                variable: String? = nil, _ summary: String) {
        self.key = key
        self.kind = kind
        self.isSecret = secret
        self.defaultText = defaultText
        self.summary = summary
        self.variable = variable ?? Self.variable(forKey: key)
    }

    /// `VOUCH_` and the key's words in upper case, the encoding swift-configuration's
    /// `EnvironmentVariablesProvider` applies to `vouch.<key>`.
    static func variable(forKey key: String) -> String {
        var name = "VOUCH_"
        var previous: Character?
        for character in key {
            if let previous, previous.isLowercase, character.isUppercase { name += "_" }
            name += character.isLetter || character.isNumber ? character.uppercased() : "_"
            previous = character
        }
        return name
    }

    /// The kind as a noun for errors ("must be a number").
    var kindName: String {
        switch kind {
        case .string, .path: "a string"
        case .number: "a number"
        case .integer: "an integer"
        }
    }

    public static func == (lhs: Setting, rhs: Setting) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
}
