/// One thing an audit found wrong, naming the entry or checkpoint concerned.
///
/// Problems compare by code and position (checkpoint and leaf index), not by
/// their wording, so tests and callers can match them exactly.
public struct AuditProblem: Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem; extensible without breaking source compatibility.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: String, Hashable, Sendable {
            case malformedEntry = "malformed_entry"
            case leafHashMismatch = "leaf_hash_mismatch"
            case tileHashMismatch = "tile_hash_mismatch"
            case missingTile = "missing_tile"
            case malformedCheckpoint = "malformed_checkpoint"
            case badSignature = "bad_signature"
            case wrongOrigin = "wrong_origin"
            case sizeBeyondLog = "size_beyond_log"
            case rootMismatch = "root_mismatch"
            case inconsistentCheckpoints = "inconsistent_checkpoints"
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// Entry `leafIndex` is not a strict format.md §5 entry.
        public static let malformedEntry = Code(.malformedEntry)
        /// Entry `leafIndex` does not hash to the leaf hash stored in its tile:
        /// the entry (or the tile) was changed after it was logged.
        public static let leafHashMismatch = Code(.leafHashMismatch)
        /// A stored higher-level tile hash differs from the recomputed one;
        /// `leafIndex` is the first leaf of that subtree.
        public static let tileHashMismatch = Code(.tileHashMismatch)
        /// A tile the tree size implies is not stored; `leafIndex` is the
        /// first leaf it covers.
        public static let missingTile = Code(.missingTile)
        /// Checkpoint `checkpoint` is not a well-formed signed checkpoint.
        public static let malformedCheckpoint = Code(.malformedCheckpoint)
        /// Checkpoint `checkpoint` has no valid signature by a trusted key,
        /// or a trusted key's signature on it fails.
        public static let badSignature = Code(.badSignature)
        /// Checkpoint `checkpoint` names another log.
        public static let wrongOrigin = Code(.wrongOrigin)
        /// Checkpoint `checkpoint` commits to more entries than the log has.
        public static let sizeBeyondLog = Code(.sizeBeyondLog)
        /// Checkpoint `checkpoint`'s root is not the root of the log's entries at its size.
        public static let rootMismatch = Code(.rootMismatch)
        /// Checkpoint `checkpoint` contradicts the one before it: a smaller
        /// size, or the same size with another root (a fork or a rollback).
        public static let inconsistentCheckpoints = Code(.inconsistentCheckpoints)

        public var description: String { backing.rawValue }
    }

    public let code: Code
    /// The position of the checkpoint concerned in the audited list.
    public let checkpoint: Int?
    /// The entry concerned (or the first entry of the subtree concerned).
    public let leafIndex: Int?
    /// What exactly was found, for people; never entry contents.
    public let reason: String

    public init(_ code: Code, checkpoint: Int? = nil, leafIndex: Int? = nil, reason: String = "") {
        self.code = code
        self.checkpoint = checkpoint
        self.leafIndex = leafIndex
        self.reason = reason
    }

    public static func == (lhs: AuditProblem, rhs: AuditProblem) -> Bool {
        lhs.code == rhs.code && lhs.checkpoint == rhs.checkpoint && lhs.leafIndex == rhs.leafIndex
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(checkpoint)
        hasher.combine(leafIndex)
    }

    public var description: String {
        var text = code.description
        if let checkpoint { text += " checkpoint \(checkpoint)" }
        if let leafIndex { text += " leaf \(leafIndex)" }
        return reason.isEmpty ? text : text + ": " + reason
    }
}
