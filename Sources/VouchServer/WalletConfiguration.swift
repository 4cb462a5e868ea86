public import Foundation
public import VouchHTTP
import VouchStore

/// Offers, batches and refresh of holder wallets (service.md "Holder wallet").
///
/// Read by ``init(settings:)`` (file keys `offer_seconds`, `wallet_batch_size`, `wallet_max_batch`,
/// `wallet_refresh_seconds`):
/// `VOUCH_OFFER_SECONDS` (how long a redeem link works, `600`),
/// `VOUCH_WALLET_BATCH_SIZE` (codes per offer when the desk names none, `20`),
/// `VOUCH_WALLET_MAX_BATCH` (most codes one redeem or refresh may ask for, `50`),
/// `VOUCH_WALLET_REFRESH_SECONDS` (a wallet may refresh once per this, with a
/// burst of two, `60`; counted in the store, so shared by every node: ``RefreshLimit``).
public struct WalletConfiguration: Sendable, Hashable {
    public var offerLifetime: Int
    public var defaultBatchSize: Int
    public var maximumBatchSize: Int
    public var refreshInterval: Int
    /// How far a refresh request's `time` may be from the server's clock, seconds.
    public static let clockWindow = 300

    public init(offerLifetime: Int = 600, defaultBatchSize: Int = 20, maximumBatchSize: Int = 50,
                refreshInterval: Int = 60) {
        self.offerLifetime = offerLifetime
        self.defaultBatchSize = min(defaultBatchSize, maximumBatchSize)
        self.maximumBatchSize = maximumBatchSize
        self.refreshInterval = refreshInterval
    }

    /// The refresh allowance every node counts against in the store: once per ``refreshInterval``, bursts of two.
    var refreshLimit: RefreshLimit { RefreshLimit(interval: refreshInterval, burst: 2) }

    /// Reads the variables alone.
    public init(environment: [String: String]) throws {
        try self.init(settings: VouchSettings(environment: environment))
    }

    /// Reads the settings above.
    ///
    /// - Throws: ``ConfigurationError`` naming the setting that is malformed or out of range, and where it came from.
    public init(settings: VouchSettings) throws(ConfigurationError) {
        func number(_ setting: Setting, _ fallback: Int, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            guard let value = try settings.integer(setting) else { return fallback }
            guard range.contains(value) else {
                throw settings.invalid(setting, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        let defaults = WalletConfiguration()
        let maximum = try number(.walletMaxBatch, defaults.maximumBatchSize, 1...200)
        self.init(offerLifetime: try number(.offerSeconds, defaults.offerLifetime, 30...86_400),
                  defaultBatchSize: try number(.walletBatchSize, min(defaults.defaultBatchSize, maximum), 1...maximum),
                  maximumBatchSize: maximum,
                  refreshInterval: try number(.walletRefreshSeconds, defaults.refreshInterval, 1...86_400))
    }
}
