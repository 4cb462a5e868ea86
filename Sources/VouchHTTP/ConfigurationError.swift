/// A configuration value that cannot be used.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let variable: String
    public let message: String
    public var description: String { "\(variable): \(message)" }

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }
}
