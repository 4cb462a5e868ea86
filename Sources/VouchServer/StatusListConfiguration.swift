public import Foundation
public import VouchHTTP

/// How status lists are allocated and published (format.md §4), with the defaults of the service.
///
/// Read from the environment by ``init(environment:)``:
/// `VOUCH_STATUS_LIST_SIZE` (entries per list, `131072`, at least 100,000 for
/// herd privacy), `VOUCH_STATUS_TTL` (the token's `ttl` and the HTTP
/// `max-age`, `300` seconds), `VOUCH_STATUS_VALIDITY` (`exp - iat` of a
/// published token, `86400` seconds).
public struct StatusListConfiguration: Sendable, Hashable {
    /// The smallest list size accepted from the environment: below it, fetching
    /// a list would say too much about which attestation a terminal checks.
    public static let minimumListSize = 100_000

    /// Entries in each new list.
    public var listSize: Int
    /// Seconds a consumer may cache a token (`ttl` claim, `Cache-Control: max-age`).
    public var timeToLive: Int
    /// Seconds from `iat` to `exp` of a published token; a token is re-signed
    /// once half of it has passed even if no bit changed.
    public var validity: Int

    /// Settings as given; tests use small lists. ``init(environment:)`` enforces the production limits.
    public init(listSize: Int = 131_072, timeToLive: Int = 300, validity: Int = 86_400) {
        self.listSize = listSize
        self.timeToLive = timeToLive
        self.validity = validity
    }

    /// Reads the `VOUCH_STATUS_*` variables alone.
    public init(environment: [String: String]) throws {
        try self.init(settings: VouchSettings(environment: environment))
    }

    /// Reads ``Setting/statusListSize``, ``Setting/statusTTL`` and ``Setting/statusValidity``.
    ///
    /// - Throws: ``ConfigurationError`` naming the source of a value that is malformed or out of range.
    public init(settings: VouchSettings) throws(ConfigurationError) {
        func number(_ setting: Setting, _ fallback: Int, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            guard let value = try settings.integer(setting) else { return fallback }
            guard range.contains(value) else {
                throw settings.invalid(setting, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        let defaults = StatusListConfiguration()
        let size = try number(.statusListSize, defaults.listSize, Self.minimumListSize...16_777_216)
        let ttl = try number(.statusTTL, defaults.timeToLive, 1...86_400)
        let validity = try number(.statusValidity, defaults.validity, 2 * ttl...31 * 86_400)
        self.init(listSize: size, timeToLive: ttl, validity: validity)
    }

    /// The status list URI without the list number: `<publicURL>/v1/status/`.
    public static func uriPrefix(publicURL: String) -> String {
        var base = Substring(publicURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + "/v1/status/"
    }
}
