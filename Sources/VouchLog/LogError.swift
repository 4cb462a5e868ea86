/// An error thrown by VouchLog when input is malformed or an operation cannot run.
///
/// Errors compare by ``code`` only, so callers match on the kind of failure
/// without depending on the wording of ``reason``. The reason names the field
/// or line that was wrong; it never contains entry contents or key material,
/// and the HTTP layer should map the code, not echo the reason.
public struct LogError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure; extensible without breaking source compatibility.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: String, Hashable, Sendable {
            case malformedEntry
            case invalidArgument
            case malformedTilePath
            case missingTile
            case corruptTile
            case malformedNote
            case invalidKey
            case unverifiedNote
            case invalidSignature
            case malformedCheckpoint
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// A log entry is not the strict deterministic CBOR of format.md §5.
        public static let malformedEntry = Code(.malformedEntry)
        /// An index, size or value is out of range (e.g. an inclusion proof for
        /// an index at or beyond the tree size).
        public static let invalidArgument = Code(.invalidArgument)
        /// A tile or entry bundle path is not canonical C2SP tlog-tiles.
        public static let malformedTilePath = Code(.malformedTilePath)
        /// Storage lacks a tile (or hashes of a tile) that the tree size implies.
        public static let missingTile = Code(.missingTile)
        /// Storage returned a tile whose hashes are not 32 bytes each.
        public static let corruptTile = Code(.corruptTile)
        /// A signed note is not well-formed C2SP signed-note text.
        public static let malformedNote = Code(.malformedNote)
        /// A note key name, verifier key or signing key is unusable.
        public static let invalidKey = Code(.invalidKey)
        /// A note has no signature by any of the known keys.
        public static let unverifiedNote = Code(.unverifiedNote)
        /// A known key's signature on a note does not verify.
        public static let invalidSignature = Code(.invalidSignature)
        /// A checkpoint body is not C2SP tlog-checkpoint text.
        public static let malformedCheckpoint = Code(.malformedCheckpoint)

        public var description: String { backing.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What exactly was wrong, for logs and operators.
    public let reason: String
    /// The source file that raised the error.
    public let file: String
    /// The source line that raised the error.
    public let line: Int

    /// Creates an error.
    public init(_ code: Code, _ reason: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public static func == (lhs: LogError, rhs: LogError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    public var description: String {
        "LogError.\(code): \(reason)"
    }
}
