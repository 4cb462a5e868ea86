internal import CoreMetrics
internal import Foundation
internal import Metrics

/// The PostgreSQL store's metrics (swift-metrics; the server exports them as Prometheus).
///
/// No label carries a value from a request: only fixed names. Each handle is made when used, not once in a
/// static: a handle made before the process bootstraps its metrics factory stays bound to the no-op one for
/// good (seen when store tests committed on PostgreSQL before the server tests in the same process bootstrapped
/// Prometheus; `PostgresRouterTests` then found no lock metrics). The Prometheus factory hands back the one
/// metric per name, so this costs a lookup per batch.
enum PostgresMetrics {
    /// How long a batch holds `log_head`'s row lock: from getting it (timed on the database) to the node's
    /// receipt of the commit's answer, so an upper bound: it includes the trip back and the node's own wait
    /// to be scheduled.
    static var sequencingLock: Metrics.Timer { Metrics.Timer(label: "vouch_sequencing_lock_seconds") }
    /// The part of that hold spent in the sequencing statement, on the database's clock (the rest is the
    /// commit's flush and the trip back).
    static var sequencingLockStatement: Metrics.Timer { Metrics.Timer(label: "vouch_sequencing_lock_statement_seconds") }
    /// How long a batch waited for that lock (other nodes' batches holding it).
    static var sequencingLockWait: Metrics.Timer { Metrics.Timer(label: "vouch_sequencing_lock_wait_seconds") }
    /// Age of the oldest committed entry not yet under a checkpoint (0 when integrated).
    static var integrationLag: Gauge { Gauge(label: "vouch_log_integration_lag_seconds") }
    /// Entries committed but not yet under a checkpoint.
    static var integrationBacklog: Gauge { Gauge(label: "vouch_log_integration_backlog_entries") }
    /// 1 while this node holds the integrator lease.
    static var integratorLeader: Gauge { Gauge(label: "vouch_log_integrator_leader") }
    /// Integration rounds that lost the compare-and-swap (another integrator moved the log).
    static var integrationConflicts: Counter { Counter(label: "vouch_log_integration_conflicts_total") }
    /// Connections of this node's pool in use.
    static var poolInUse: Gauge { Gauge(label: "vouch_store_pool_connections_in_use") }
    /// The most connections this node's pool opens (`database_pool_size`), to read ``poolInUse`` against.
    static var poolSize: Gauge { Gauge(label: "vouch_store_pool_connections_max") }

    /// Records a committed batch's lock wait and hold (nothing if it appended no entry).
    static func recordLock(_ result: PostgresBatch.Result) {
        guard let requested = result.lockRequested, let acquired = result.lockAcquired else { return }
        sequencingLockWait.recordSeconds(requested.duration(to: acquired))
        sequencingLock.recordSeconds(acquired.duration(to: .now))
        if let seconds = result.statementUnderLock {
            sequencingLockStatement.recordSeconds(.seconds(seconds))
        }
    }
}

extension Metrics.Timer {
    func recordSeconds(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
