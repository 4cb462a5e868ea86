/// A configuration value that cannot be used.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// Where the bad value came from: the variable (`VOUCH_LISTEN`), the option (`--listen`), or the
    /// configuration file's path (the message then starts with the key).
    public let variable: String
    /// The problem, for a human; never the value of a secret.
    public let message: String
    public var description: String { "\(variable): \(message)" }

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }
}
