/// Recomputes a log from its entries and checks its checkpoints and tiles.
///
/// This is what `vouch log verify` and an external auditor run. For every
/// checkpoint it checks the signature under the trusted keys, the origin,
/// that its size is within the log, that its root is the recomputed root at
/// that size, and that it does not contradict the checkpoint before it. Given
/// the stored tiles, it also compares every stored hash with the recomputed
/// one, which names the exact entry that was altered after it was logged.
///
/// The tree is recomputed in one streaming pass (n leaf hashes, n - 1 node
/// hashes, O(log n) memory); checkpoints and tiles are checked as the pass
/// reaches them. Nothing is thrown: every finding is an ``AuditProblem``.
public struct LogAuditor: Sendable {
    /// The origin every checkpoint must carry.
    public let origin: String
    /// The keys a checkpoint may be signed with.
    public let verifiers: [NoteVerifier]
    /// The report stops collecting problems after this many.
    public let maximumProblems: Int

    /// Creates an auditor.
    ///
    /// - Parameters:
    ///   - origin: The log's origin line.
    ///   - verifiers: The log's note verifier keys.
    ///   - maximumProblems: A bound on the report's size (a log whose every
    ///     entry is wrong should not produce a million problems).
    public init(origin: String, verifiers: [NoteVerifier], maximumProblems: Int = 1000) {
        self.origin = origin
        self.verifiers = verifiers
        self.maximumProblems = max(1, maximumProblems)
    }

    /// Audits a log from its raw entries.
    ///
    /// - Parameters:
    ///   - entries: Every entry, in log order.
    ///   - checkpoints: Signed checkpoint notes, in the order they were published.
    ///   - tiles: The log's stored tiles, to compare hash by hash; `nil` to skip.
    ///   - validateEntries: Whether each entry must parse as a strict
    ///     ``LogEntry`` (format.md §5: no personal data).
    public func audit(
        entries: [[UInt8]], checkpoints: [[UInt8]], tiles: (any TileStorage)? = nil, validateEntries: Bool = true
    ) -> AuditReport {
        var audit = start(checkpoints: checkpoints, tiles: tiles)
        for entry in entries {
            audit.append(entry: entry, validate: validateEntries)
        }
        return audit.finish()
    }

    /// Audits a log from its leaf hashes (``MerkleHash/leaf(_:)`` of each entry).
    ///
    /// - Parameters:
    ///   - leafHashes: Every leaf hash, in log order.
    ///   - checkpoints: Signed checkpoint notes, in the order they were published.
    ///   - tiles: The log's stored tiles, to compare hash by hash; `nil` to skip.
    public func audit(
        leafHashes: [[UInt8]], checkpoints: [[UInt8]], tiles: (any TileStorage)? = nil
    ) -> AuditReport {
        var audit = start(checkpoints: checkpoints, tiles: tiles)
        for hash in leafHashes {
            audit.append(leafHash: hash)
        }
        return audit.finish()
    }

    /// Audits a log given its checkpoints as text; see the byte form.
    public func audit(
        entries: [[UInt8]], checkpoints: [String], tiles: (any TileStorage)? = nil, validateEntries: Bool = true
    ) -> AuditReport {
        audit(entries: entries, checkpoints: checkpoints.map { Array($0.utf8) }, tiles: tiles,
              validateEntries: validateEntries)
    }

    /// Starts a streaming pass, for logs too large to hold in memory at once.
    ///
    /// - Parameters:
    ///   - checkpoints: Signed checkpoint notes, in the order they were published.
    ///   - tiles: The log's stored tiles, to compare hash by hash; `nil` to skip.
    public func start(checkpoints: [[UInt8]], tiles: (any TileStorage)? = nil) -> StreamingAudit {
        StreamingAudit(auditor: self, checkpoints: checkpoints, tiles: tiles)
    }
}
