public import Foundation
public import Logging
public import ServiceLifecycle
import VouchVerifier

/// One sync of a terminal with its upstream: the signed trust bundle, then
/// the status lists it names, each a conditional GET with the ETag held.
///
/// Anything that fails is recorded on the ``Terminal`` and leaves its data
/// as it was: the terminal goes on verifying with its last good data.
public struct TrustSync: Sendable {
    public let terminal: Terminal
    /// The upstream's base URL, e.g. `https://issuer.example`.
    public let upstream: URL
    public let client: any UpstreamFetching
    let logger: Logger

    public init(terminal: Terminal, upstream: URL, client: any UpstreamFetching = URLSessionUpstream(),
                logger: Logger) {
        self.terminal = terminal
        self.upstream = upstream
        self.client = client
        self.logger = logger
    }

    /// The signed form of `GET /v1/trust`.
    public var trustURL: URL {
        URL(string: upstream.absoluteString.trimmingSuffix("/") + "/v1/trust?format=cose") ?? upstream
    }

    /// Syncs once.
    ///
    /// - Returns: whether everything was brought up to date.
    @discardableResult
    public func syncOnce(now: @Sendable () -> Date = { Date() }) async -> Bool {
        do {
            switch try await client.get(trustURL, accept: "application/cose", ifNoneMatch: terminal.bundleETag,
                                        limit: SignedTrustBundle.maximumSize) {
            case .notModified:
                terminal.confirm(at: now())
            case .fetched(let body, let etag):
                try terminal.accept(signed: body, etag: etag, at: now())
                logger.info("terminal: trust bundle accepted",
                            metadata: ["vouch.bundle_iat": "\(terminal.bundle?.issuedAt ?? 0)"])
            }
        } catch {
            terminal.recordFailure(Self.plainWords(error), at: now())
            logger.warning("terminal: trust sync failed", metadata: ["vouch.error": "\(error)"])
            return false
        }
        let listsSynced = await syncStatusLists(now: now)
        return await syncCheckpoint(now: now) && listsSynced
    }

    /// Fetches every status list the bundle names; `true` when all are current.
    ///
    /// A list that fails is recorded and skipped; the others are still fetched.
    func syncStatusLists(now: @Sendable () -> Date) async -> Bool {
        guard let uris = terminal.bundle?.statusLists, !uris.isEmpty else { return true }
        let lists = terminal.statusLists
        var etags = terminal.statusETags.filter { uris.contains($0.key) }
        var failure: (any Error)?
        for uri in uris {
            guard let url = statusURL(for: uri) else { continue }
            // Only a list still held can be confirmed by a 304.
            let etag = lists.entry(uri: uri) == nil ? nil : etags[uri]
            do {
                switch try await client.get(url, accept: "application/statuslist+cwt", ifNoneMatch: etag,
                                            limit: 8 * 1024 * 1024) {
                case .notModified:
                    lists.renew(uri: uri, fetchedAt: terminal.effectiveTime(now()))
                case .fetched(let body, let etag):
                    try lists.store(token: body, fetchedAt: terminal.effectiveTime(now()))
                    etags[uri] = etag
                }
            } catch {
                failure = error
                etags[uri] = nil
                logger.warning("terminal: status list sync failed",
                               metadata: ["vouch.status_list": "\(uri)", "vouch.error": "\(error)"])
            }
        }
        if let failure {
            terminal.recordFailure("Status lists: " + Self.plainWords(failure), at: now())
            return false
        }
        terminal.statusListsSynced(at: terminal.effectiveTime(now()), etags: etags)
        return true
    }

    /// A list URI as a token carries it, fetched from the configured upstream
    /// when its path is a Vouch status path (the public URL may not be reachable from the store).
    func statusURL(for uri: String) -> URL? {
        guard let parsed = URL(string: uri) else { return nil }
        guard let range = parsed.path.range(of: "/v1/status/") else { return parsed }
        return URL(string: upstream.absoluteString.trimmingSuffix("/") + parsed.path[range.lowerBound...])
    }

    /// The reason in words for the checkout page, without internal detail.
    static func plainWords(_ error: any Error) -> String {
        switch error {
        case let error as TrustBundleError:
            switch error.code {
            case .rollback: return "Upstream sent an older trust bundle"
            case .untrustedSigner, .badSignature: return "Upstream trust bundle not trusted"
            default: return "Upstream trust bundle unusable"
            }
        case is UpstreamError: return "Upstream unreachable"
        case is StatusListError: return "status list rejected"
        default: return "Sync failed"
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

/// Runs ``TrustSync`` on a schedule until shutdown: at once on start, then
/// every `interval` with ±20 % jitter (so a fleet of terminals does not
/// arrive together), sooner with backoff after a failure.
public struct TrustSyncService: Service {
    public let sync: TrustSync
    public let interval: TimeInterval

    public init(sync: TrustSync, interval: TimeInterval) {
        self.sync = sync
        self.interval = interval
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                var failures = 0
                while !Task.isCancelled {
                    failures = await sync.syncOnce() ? 0 : failures + 1
                    let delay = Self.delay(interval: interval, failures: failures,
                                           jitter: Double.random(in: -0.2...0.2))
                    try await Task.sleep(for: .seconds(delay))
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// Seconds until the next sync: `interval` after a success; 15 s doubling
    /// per failure, capped at `interval`, after failures; times `1 + jitter`.
    public static func delay(interval: TimeInterval, failures: Int, jitter: Double) -> TimeInterval {
        let base = failures == 0 ? interval : min(interval, 15 * pow(2, Double(min(failures, 16) - 1)))
        return max(1, base * (1 + jitter))
    }
}
