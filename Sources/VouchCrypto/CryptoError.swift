/// An error thrown by VouchCrypto when an operation cannot be carried out.
///
/// Errors compare by ``code`` only, so callers can match on the kind of
/// failure without depending on the wording of ``reason``. The reason is meant
/// for logs and operators: it never contains key material, and the HTTP layer
/// must not echo it to clients.
public struct CryptoError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure; extensible without breaking source compatibility.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: String, Hashable, Sendable {
            case invalidKey
            case invalidCertificate
            case signingFailed
            case unsupportedAlgorithm
            case io
            case chainInvalid
            case randomFailed
            case `internal`
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// A key could not be parsed, generated or used.
        public static let invalidKey = Code(.invalidKey)
        /// A certificate could not be parsed or built.
        public static let invalidCertificate = Code(.invalidCertificate)
        /// OpenSSL failed to produce a signature.
        public static let signingFailed = Code(.signingFailed)
        /// The key or certificate uses an algorithm Vouch does not accept.
        public static let unsupportedAlgorithm = Code(.unsupportedAlgorithm)
        /// A file could not be read or written.
        public static let io = Code(.io)
        /// A certificate chain could not be built or validated.
        public static let chainInvalid = Code(.chainInvalid)
        /// The random number generator failed.
        public static let randomFailed = Code(.randomFailed)
        /// An unexpected failure inside OpenSSL, typically memory exhaustion.
        public static let `internal` = Code(.internal)

        public var description: String { backing.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// A human-readable explanation for logs, including drained OpenSSL errors.
    public let reason: String
    /// The source file that raised the error.
    public let file: String
    /// The source line that raised the error.
    public let line: Int

    /// Creates an error; prefer the static factories inside this module.
    public init(code: Code, reason: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    public var description: String {
        "CryptoError.\(code): \(reason)"
    }
}

extension CryptoError {
    /// Builds an error whose reason ends with the drained OpenSSL error queue.
    ///
    /// Draining also keeps the thread-local queue from leaking stale entries
    /// into the next operation on the same thread.
    static func openSSL(
        _ code: Code, _ context: String, file: String = #fileID, line: Int = #line
    ) -> CryptoError {
        let details = OpenSSL.drainErrors()
        let reason = details.isEmpty ? context : "\(context): \(details)"
        return CryptoError(code: code, reason: reason, file: file, line: line)
    }
}
