public import Foundation

/// Offers, batches and refresh of holder wallets (service.md "Holder wallet").
///
/// Read from the environment by ``init(environment:)``:
/// `VOUCH_OFFER_SECONDS` (how long a redeem link works, `600`),
/// `VOUCH_WALLET_BATCH_SIZE` (codes per offer when the desk names none, `20`),
/// `VOUCH_WALLET_MAX_BATCH` (most codes one redeem or refresh may ask for, `50`),
/// `VOUCH_WALLET_REFRESH_SECONDS` (a wallet may refresh once per this, with a
/// burst of two, `60`).
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

    /// Reads the variables above.
    ///
    /// - Throws: ``ConfigurationError`` naming the variable that is malformed or out of range.
    public init(environment: [String: String]) throws {
        func number(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = environment[name] else { return fallback }
            guard let value = Int(text), range.contains(value) else {
                throw ConfigurationError(variable: name,
                                         message: "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        let defaults = WalletConfiguration()
        let maximum = try number("VOUCH_WALLET_MAX_BATCH", defaults.maximumBatchSize, 1...200)
        self.init(offerLifetime: try number("VOUCH_OFFER_SECONDS", defaults.offerLifetime, 30...86_400),
                  defaultBatchSize: try number("VOUCH_WALLET_BATCH_SIZE", min(defaults.defaultBatchSize, maximum),
                                               1...maximum),
                  maximumBatchSize: maximum,
                  refreshInterval: try number("VOUCH_WALLET_REFRESH_SECONDS", defaults.refreshInterval, 1...86_400))
    }
}
