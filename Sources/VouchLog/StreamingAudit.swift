/// One streaming ``LogAuditor`` pass: feed entries in log order, then finish.
///
/// Memory stays O(log n) whatever the log size, so a store can audit a log of
/// any length by reading its entries in pages:
///
/// ```swift
/// var audit = auditor.start(checkpoints: notes, tiles: storage)
/// for entry in page { audit.append(entry: entry) }
/// let report = audit.finish()
/// ```
public struct StreamingAudit {
    private let maximumProblems: Int
    private let tiles: (any TileStorage)?
    private var problems: [AuditProblem] = []
    private var truncated = false
    private var range = CompactRange()
    private var hasher = MerkleHasher()
    /// Valid checkpoints by the size at which their root is checked.
    private var pending: [Int: [(position: Int, checkpoint: Checkpoint)]] = [:]
    private var passed: Set<Int> = []
    /// The one tile per level the pass is inside, or nil if it is missing.
    private var currentTiles: [Int: (index: Int, hashes: [[UInt8]]?)] = [:]

    /// Starts a pass; checkpoint signatures, origins and order are checked here.
    ///
    /// - Parameters:
    ///   - auditor: The origin, keys and problem limit to use.
    ///   - checkpoints: Signed checkpoint notes, in the order they were published.
    ///   - tiles: The log's stored tiles, to compare hash by hash; `nil` to skip.
    public init(auditor: LogAuditor, checkpoints: [[UInt8]], tiles: (any TileStorage)? = nil) {
        self.maximumProblems = auditor.maximumProblems
        self.tiles = tiles
        var previous: (position: Int, checkpoint: Checkpoint)?
        for (position, note) in checkpoints.enumerated() {
            guard let checkpoint = check(note, at: position, auditor: auditor) else { continue }
            if let previous {
                let old = previous.checkpoint
                if checkpoint.size < old.size || (checkpoint.size == old.size && checkpoint.rootHash != old.rootHash) {
                    report(AuditProblem(.inconsistentCheckpoints, checkpoint: position,
                                        reason: "size \(checkpoint.size) after checkpoint \(previous.position) of size \(old.size)"))
                }
            }
            previous = (position, checkpoint)
            pending[checkpoint.size, default: []].append((position, checkpoint))
        }
        checkRoots()
    }

    /// The number of entries appended so far.
    public var treeSize: Int { range.size }

    /// Opens one signed checkpoint, reporting why it cannot be used.
    private mutating func check(_ note: [UInt8], at position: Int, auditor: LogAuditor) -> Checkpoint? {
        let opened: SignedNote
        do {
            opened = try SignedNote.open(note: note, verifiers: auditor.verifiers)
        } catch {
            let code: AuditProblem.Code = error.code == .malformedNote ? .malformedCheckpoint : .badSignature
            report(AuditProblem(code, checkpoint: position, reason: error.reason))
            return nil
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint(text: opened.text)
        } catch {
            report(AuditProblem(.malformedCheckpoint, checkpoint: position, reason: error.reason))
            return nil
        }
        guard checkpoint.origin == auditor.origin else {
            report(AuditProblem(.wrongOrigin, checkpoint: position, reason: "origin is not \(auditor.origin)"))
            return nil
        }
        return checkpoint
    }

    private mutating func report(_ problem: AuditProblem) {
        guard problems.count < maximumProblems else {
            truncated = true
            return
        }
        problems.append(problem)
    }

    /// Adds the next entry: checks its format (unless told not to) and hashes it.
    ///
    /// - Parameters:
    ///   - entry: The entry bytes, as logged.
    ///   - validate: Whether the entry must parse as a strict ``LogEntry``.
    public mutating func append(entry: [UInt8], validate: Bool = true) {
        if validate {
            do {
                _ = try LogEntry(cbor: entry)
            } catch {
                report(AuditProblem(.malformedEntry, leafIndex: range.size, reason: error.reason))
            }
        }
        append(leafHash: hasher.leaf(entry))
    }

    /// Adds the next leaf hash, comparing every stored hash it completes and
    /// every checkpoint whose size it reaches.
    public mutating func append(leafHash: [UInt8]) {
        let index = range.size
        compareStored(level: 0, index: index, hash: leafHash)
        var completed: [(Int, Int, [UInt8])] = []
        range.append(leafHash) { level, index, hash in
            if level % TilePath.height == 0 { completed.append((level, index, hash)) }
        }
        for (level, index, hash) in completed {
            compareStored(level: level, index: index, hash: hash)
        }
        checkRoots()
    }

    private mutating func checkRoots() {
        guard let due = pending.removeValue(forKey: range.size) else { return }
        let root = range.root()
        for (position, checkpoint) in due {
            if checkpoint.rootHash == root {
                passed.insert(position)
            } else {
                report(AuditProblem(.rootMismatch, checkpoint: position,
                                    reason: "root at size \(checkpoint.size) differs from the entries"))
            }
        }
    }

    /// Compares a recomputed hash at tree level `level` (a multiple of 8)
    /// with the one stored in its tile.
    private mutating func compareStored(level: Int, index: Int, hash: [UInt8]) {
        guard let tiles else { return }
        let tileLevel = level / TilePath.height
        let tileIndex = index / TilePath.fullWidth
        if currentTiles[tileLevel]?.index != tileIndex {
            let read = try? tiles.readTile(level: tileLevel, index: tileIndex)
            currentTiles[tileLevel] = (tileIndex, read)
        }
        let stored = currentTiles[tileLevel]?.hashes
        let offset = index % TilePath.fullWidth
        guard let stored, stored.count > offset else {
            // One report per missing tile (or missing part of one).
            if stored != nil || offset == 0 {
                report(AuditProblem(.missingTile, leafIndex: index << level,
                                    reason: "tile \(tileLevel)/\(tileIndex) lacks hash \(offset)"))
                currentTiles[tileLevel] = (tileIndex, nil)
            }
            return
        }
        if stored[offset] != hash {
            if level == 0 {
                report(AuditProblem(.leafHashMismatch, leafIndex: index,
                                    reason: "entry does not hash to the stored leaf hash"))
            } else {
                report(AuditProblem(.tileHashMismatch, leafIndex: index << level,
                                    reason: "tile \(tileLevel)/\(tileIndex) hash \(offset) differs"))
            }
        }
    }

    /// Ends the pass: checkpoints beyond the entries seen are reported now.
    public consuming func finish() -> AuditReport {
        for (_, due) in pending.sorted(by: { $0.key < $1.key }) {
            for (position, checkpoint) in due {
                report(AuditProblem(.sizeBeyondLog, checkpoint: position,
                                    reason: "size \(checkpoint.size), log has \(range.size) entries"))
            }
        }
        let flagged = Set(problems.compactMap(\.checkpoint))
        return AuditReport(treeSize: range.size, rootHash: range.root(),
                    verifiedCheckpoints: passed.subtracting(flagged).sorted(),
                    problems: problems, isTruncated: truncated)
    }
}
