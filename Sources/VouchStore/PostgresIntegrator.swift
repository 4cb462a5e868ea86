internal import CoreMetrics
public import Foundation
public import Logging
internal import PostgresNIO
public import VouchCrypto
internal import VouchLog

/// Writes the PostgreSQL log's tiles and signs its checkpoints, on one node at a time.
///
/// Every node runs one; a lease row (holder, expiry on the database's clock)
/// decides which integrates. It is taken or renewed by a compare-and-swap
/// UPDATE, and a node whose lease lapsed (it died or stalled) is replaced by
/// the next node that asks. Correctness does not rest on the lease: the
/// integrator reads the entries past the integrated size, checks that their
/// indices are contiguous, and commits tiles, checkpoint and the new
/// (size, root) in one transaction whose `UPDATE log_state ... WHERE size = old
/// AND root = oldroot` fails if anyone moved the log meanwhile; a stale leader
/// then rolls back and nothing of it is written.
public actor PostgresIntegrator {
    /// What one round did.
    public enum Round: Sendable, Equatable {
        /// Another node holds the lease.
        case follower
        /// This node leads and the log was already integrated.
        case idle(size: Int)
        /// This node signed a checkpoint of this size.
        case integrated(size: Int)
        /// The compare-and-swap failed: another integrator moved the log first.
        case conflict
    }

    /// This node's lease holder name (random per process unless given).
    public nonisolated let holder: String
    /// Seconds a lease lasts without renewal.
    public nonisolated let leaseSeconds: Double
    /// Pause between rounds.
    public nonisolated let interval: Duration
    /// The most entries one round integrates.
    public nonisolated let maximumEntries: Int

    private let database: PostgresDatabase
    private let signer: CheckpointSigner
    private let now: @Sendable () -> Date
    private let logger: Logger

    /// - Parameters:
    ///   - logKey: The log's Ed25519 key (the same on every node: they sign one log).
    ///   - origin: The checkpoint origin line.
    public init(database: PostgresDatabase, logKey: PrivateKey, origin: String, holder: String? = nil,
                leaseSeconds: Double = 2, interval: Duration = .milliseconds(100), maximumEntries: Int = 8192,
                logger: Logger = Logger(label: "vouch.integrator"),
                now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.database = database
        self.signer = try CheckpointSigner(key: logKey, origin: origin)
        self.holder = try holder ?? "node-" + SecureRandom.bytes(count: 8).map { String(format: "%02x", $0) }.joined()
        self.leaseSeconds = leaseSeconds
        self.interval = interval
        self.maximumEntries = max(1, maximumEntries)
        self.logger = logger
        self.now = now
    }

    /// Runs rounds until cancelled; errors (the database gone) are logged and the next round tries again.
    public func run() async {
        while !Task.isCancelled {
            do {
                _ = try await step()
            } catch {
                logger.warning("integration round failed", metadata: ["store.error": "\(error)"])
                PostgresMetrics.integratorLeader.record(0)
            }
            try? await Task.sleep(for: interval)
        }
        do {
            if try await releaseLease() {
                logger.info("integrator lease released", metadata: ["vouch.node_id": "\(holder)"])
            }
        } catch {
            logger.warning("integrator lease not released; it lapses instead", metadata: ["store.error": "\(error)"])
        }
    }

    /// One round: take or renew the lease; if held, integrate what is committed.
    public func step() async throws -> Round {
        try await recordLag()
        guard try await takeLease() else {
            PostgresMetrics.integratorLeader.record(0)
            return .follower
        }
        PostgresMetrics.integratorLeader.record(1)
        return try await integrate()
    }

    /// Takes the lease if it is free or lapsed, or renews it if this node holds it.
    public func takeLease() async throws -> Bool {
        let holder = holder, seconds = leaseSeconds
        return try await database.withConnection("integrator lease") { connection in
            try await connection.run("""
                UPDATE integrator_lease SET holder = \(holder),
                    expires_at = clock_timestamp() + make_interval(secs => \(seconds))
                WHERE id = 1 AND (holder = \(holder) OR expires_at < clock_timestamp()) RETURNING 1
                """) == 1
        }
    }

    /// Gives the lease up (at shutdown), so another node takes over at once.
    ///
    /// - Returns: Whether this node held it.
    @discardableResult
    public func releaseLease() async throws -> Bool {
        let holder = holder
        return try await database.withConnection("release lease") { connection in
            try await connection.run(
                "UPDATE integrator_lease SET expires_at = '-infinity' WHERE id = 1 AND holder = \(holder) RETURNING 1") == 1
        }
    }

    /// Integrates up to ``maximumEntries`` committed entries past the integrated size, without looking at the lease.
    ///
    /// - Throws: `StoreError.corrupt` if the entries are not contiguous or the stored root is not the tiles' root.
    public func integrate() async throws -> Round {
        do {
            return try await integrateOnce()
        } catch let error as StoreError where error.code == .conflict {
            PostgresMetrics.integrationConflicts.increment()
            return .conflict
        }
    }

    private func integrateOnce() async throws -> Round {
        let signer = signer, limit = maximumEntries, time = now()
        return try await database.transaction("integrate log") { connection in
            guard let state = try await connection.rows("SELECT size, root FROM log_state WHERE id = 1").first else {
                throw StoreError(code: .corrupt, reason: "log_state has no row")
            }
            let (oldSize64, oldRootData) = try state.decode((Int64, Data).self)
            let oldSize = Int(oldSize64), oldRoot = [UInt8](oldRootData)
            var leaves: [[UInt8]] = []
            for row in try await connection.rows("""
                SELECT idx, leaf_hash FROM log_entries WHERE idx >= \(oldSize64) ORDER BY idx LIMIT \(Int64(limit))
                """) {
                let (index, leaf) = try row.decode((Int64, Data).self)
                guard Int(index) == oldSize + leaves.count else {
                    throw StoreError(code: .corrupt,
                                     reason: "log entry \(oldSize + leaves.count) is missing (next is \(index))")
                }
                leaves.append([UInt8](leaf))
            }
            guard !leaves.isEmpty else { return .idle(size: oldSize) }
            let newSize = oldSize + leaves.count
            let tiles = PostgresTiles()
            let (changed, newRoot) = try await tiles.run(connection) { storage -> ([Tile], [UInt8]) in
                if oldSize > 0 {
                    guard try TileHashReader(storage: storage).treeHash(size: oldSize) == oldRoot else {
                        throw StoreError(code: .corrupt, reason: "the tiles' root differs from log_state's")
                    }
                }
                let changed = try TileBuilder.tiles(appending: leaves, toTreeOfSize: oldSize, reading: storage)
                storage.store(changed)
                return (changed, try TileHashReader(storage: storage).treeHash(size: newSize))
            }
            // The compare-and-swap first: a stale integrator stops here, before writing anything.
            let moved = try await connection.run("""
                UPDATE log_state SET size = \(Int64(newSize)), root = \(Data(newRoot))
                WHERE id = 1 AND size = \(oldSize64) AND root = \(oldRootData) RETURNING 1
                """)
            guard moved == 1 else {
                throw StoreError(code: .conflict, reason: "log_state moved from \(oldSize) during integration")
            }
            try await PostgresTiles.write(changed, connection)
            let note = try signer.sign(size: newSize, root: newRoot)
            try await connection.run("""
                INSERT INTO checkpoints (size, note, created_at) VALUES (\(Int64(newSize)), \(note), \(time.unixSeconds))
                """)
            return .integrated(size: newSize)
        }
    }

    private func recordLag() async throws {
        let (lag, backlog) = try await database.withConnection("integration lag") { connection -> (Double, Int) in
            guard let row = try await connection.rows("""
                SELECT COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - e.created_at)::float8, 0),
                       h.next_index - s.size
                FROM log_state s CROSS JOIN log_head h LEFT JOIN log_entries e ON e.idx = s.size
                """).first else { return (0, 0) }
            let (lag, backlog) = try row.decode((Double, Int64).self)
            return (lag, Int(backlog))
        }
        PostgresMetrics.integrationLag.record(lag)
        PostgresMetrics.integrationBacklog.record(backlog)
        PostgresMetrics.poolInUse.record(database.connectionsInUse)
        // Each round, not once at start: a gauge first touched before the server bootstraps metrics stays silent.
        PostgresMetrics.poolSize.record(database.timeouts.poolSize)
    }
}

