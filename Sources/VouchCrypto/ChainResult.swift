/// The outcome of a certificate chain verification.
///
/// A rejected chain is a normal answer, not an error; `reason` is OpenSSL's
/// verification error text with the depth at which it occurred, for logs.
public enum ChainResult: Sendable, Hashable {
    /// The leaf chains to a trusted root and every certificate is valid at the given time.
    case valid
    /// The chain was rejected.
    case invalid(reason: String)

    /// Whether the chain verified.
    public var isValid: Bool {
        if case .valid = self { true } else { false }
    }
}
