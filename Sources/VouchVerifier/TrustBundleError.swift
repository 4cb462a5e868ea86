/// Why a signed trust bundle was not accepted.
///
/// Errors compare by ``code`` only; ``reason`` is for logs and the terminal's
/// status line, and never holds key material.
public struct TrustBundleError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure; extensible without breaking source compatibility.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case tooLarge = "too_large"
            case malformed
            case unsupportedAlgorithm = "unsupported_alg"
            case badSignature = "bad_signature"
            case untrustedSigner = "untrusted_signer"
            case invalidPolicy = "invalid_policy"
            case rollback
        }
        private let value: Value

        /// Larger than ``SignedTrustBundle/maximumSize``.
        public static let tooLarge = Code(value: .tooLarge)
        /// Not a COSE_Sign1 of the expected shape, or a payload that is not a bundle.
        public static let malformed = Code(value: .malformed)
        /// A COSE algorithm other than ES256 or EdDSA, or one that does not match the signer's key.
        public static let unsupportedAlgorithm = Code(value: .unsupportedAlgorithm)
        /// The signature does not verify under the signer certificate's key.
        public static let badSignature = Code(value: .badSignature)
        /// The signer certificate does not chain to a configured upstream root at `iat`.
        public static let untrustedSigner = Code(value: .untrustedSigner)
        /// A policy in the bundle fails the checks of `vouch policy lint`.
        public static let invalidPolicy = Code(value: .invalidPolicy)
        /// Older than a bundle already accepted: a replayed or rolled-back bundle.
        public static let rollback = Code(value: .rollback)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let reason: String
    public let file: String
    public let line: Int

    public init(_ code: Code, _ reason: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public static func == (lhs: TrustBundleError, rhs: TrustBundleError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "\(code): \(reason)" }
}
