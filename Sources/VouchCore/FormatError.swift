/// Why bytes or text are not a well-formed Vouch structure.
///
/// The codes line up with the decode-stage reasons of format.md §3, so a
/// verifier can report them as they are; ``reason`` says what exactly was
/// wrong for messages and logs (it never contains claim values).
public struct FormatError: Error, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case payloadTooLarge = "payload_too_large"
            case unrecognized
            case malformed
            case unsupportedAlgorithm = "unsupported_alg"
        }
        private let value: Value

        /// Longer than the limits of format.md §2.
        public static let payloadTooLarge = Code(value: .payloadTooLarge)
        /// Not a Vouch code at all (no `VCH1:` prefix).
        public static let unrecognized = Code(value: .unrecognized)
        /// A Vouch prefix, but bad Base45, CBOR, COSE or claims.
        public static let malformed = Code(value: .malformed)
        /// A COSE algorithm other than ES256 (-7) or EdDSA (-8).
        public static let unsupportedAlgorithm = Code(value: .unsupportedAlgorithm)

        /// The reason code string of format.md §3.
        public var reasonCode: String { value.rawValue }
        public var description: String { value.rawValue }
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public static func == (lhs: FormatError, rhs: FormatError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "\(code.reasonCode): \(reason)" }

    static func malformed(_ reason: String) -> FormatError { FormatError(.malformed, reason) }
}
