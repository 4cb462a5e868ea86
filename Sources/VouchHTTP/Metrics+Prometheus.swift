import Foundation
import Metrics
public import Prometheus
import Synchronization

/// The process-wide Prometheus registry behind swift-metrics.
///
/// swift-metrics can be bootstrapped once per process; the server and the
/// tests share this registry. Labels are route patterns, methods, statuses
/// and attestation types: never a token, a key or a personal value.
package enum VouchMetrics {
    package static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    package static func bootstrap() { _ = registry }
}
