internal import CoreMetrics
internal import Foundation
internal import Metrics

/// The PostgreSQL store's metrics (swift-metrics; the server exports them as Prometheus).
///
/// No label carries a value from a request: only fixed names.
enum PostgresMetrics {
    /// How long a batch holds `log_head`'s row lock: from getting it to the end of the commit that releases it.
    static let sequencingLock = Metrics.Timer(label: "vouch_sequencing_lock_seconds")
    /// How long a batch waited for that lock (other nodes' batches holding it).
    static let sequencingLockWait = Metrics.Timer(label: "vouch_sequencing_lock_wait_seconds")
    /// Age of the oldest committed entry not yet under a checkpoint (0 when integrated).
    static let integrationLag = Gauge(label: "vouch_log_integration_lag_seconds")
    /// Entries committed but not yet under a checkpoint.
    static let integrationBacklog = Gauge(label: "vouch_log_integration_backlog_entries")
    /// 1 while this node holds the integrator lease.
    static let integratorLeader = Gauge(label: "vouch_log_integrator_leader")
    /// Integration rounds that lost the compare-and-swap (another integrator moved the log).
    static let integrationConflicts = Counter(label: "vouch_log_integration_conflicts_total")
    /// Connections of this node's pool in use.
    static let poolInUse = Gauge(label: "vouch_store_pool_connections_in_use")
    /// The most connections this node's pool opens (`database_pool_size`), to read ``poolInUse`` against.
    static let poolSize = Gauge(label: "vouch_store_pool_connections_max")
}

extension Metrics.Timer {
    func recordSeconds(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
