public import Foundation
import Synchronization
public import VouchCore
import VouchCrypto

/// The status lists a verifier holds, checked when they arrive and answered from memory per scan.
///
/// A terminal fetches whole Status List Tokens (format.md §4) and hands them
/// to ``store(token:fetchedAt:)``, which accepts a token only when it is
/// well-formed, inflates within 4 MiB, is signed by an issuer certificate of
/// the trust store (by `kid`, chained to a root, valid at `iat`), carries the
/// `application/statuslist+cwt` type and is not expired. Lists are keyed by
/// their `sub` URI, the `uri` that attestations carry. A list older than one
/// already held for the same URI is refused, so a replayed old list cannot
/// undo a revocation.
///
/// Any trusted issuer may sign a list for any URI: a trusted issuer can
/// already sign any attestation, so this gives it no new power.
///
/// ``status(of:now:maximumAge:)`` is what the ``Verifier`` asks: it answers
/// `unavailable` when no list has that URI, the list was fetched longer ago
/// than the policy's `max_status_age`, it has expired, or the index is past
/// its end. ``save(to:)`` and ``load(from:)`` keep the last good lists across
/// restarts; loading checks every token again.
public final class StatusListCache: StatusSource, Sendable {
    /// One stored list.
    public struct Entry: Sendable, Hashable {
        /// The list's `sub`.
        public let uri: String
        /// The token as received, to save or to serve again.
        public let token: [UInt8]
        /// The `kid` that signed it.
        public let kid: [UInt8]
        public let issuedAt: Date
        public let expiresAt: Date
        /// The token's `ttl`: when to fetch again.
        public let timeToLive: TimeInterval
        /// When it was (last) fetched; freshness is counted from here.
        public let fetchedAt: Date
        /// The statuses.
        public let list: StatusList

        /// When a fresh copy should be fetched (`fetchedAt + ttl`).
        public var refreshAt: Date { fetchedAt.addingTimeInterval(timeToLive) }
    }

    /// What ``load(from:)`` restored and what it refused.
    public struct LoadResult: Sendable {
        /// URIs of the lists restored.
        public var loaded: [String] = []
        /// URIs of saved lists that failed their checks now, and why.
        public var rejected: [String: StatusListError] = [:]
    }

    /// The file, inside a cache directory, that lists the saved tokens.
    public static let manifestName = "status-lists.json"

    public let trustStore: TrustStore
    /// How far `iat` may be past the fetch time (issuer and terminal clocks differ).
    public let clockSkew: TimeInterval
    private let entries = Mutex<[String: Entry]>([:])

    /// - Parameters:
    ///   - trustStore: Where the signers' certificates are found by `kid`.
    ///   - clockSkew: Seconds `iat` may be ahead of the fetch time.
    public init(trustStore: TrustStore, clockSkew: TimeInterval = 300) {
        self.trustStore = trustStore
        self.clockSkew = clockSkew
    }

    // MARK: - Storing

    /// Checks a fetched Status List Token and, when it passes, keeps it for its URI.
    ///
    /// - Parameters:
    ///   - token: The COSE_Sign1_Tagged bytes, as served.
    ///   - fetchedAt: When it was fetched (usually now).
    /// Storing the token held for a URI again, with a later `fetchedAt`, records
    /// that it was confirmed current then (a 304 answer to a conditional fetch).
    ///
    /// - Throws: ``StatusListError`` naming the first check that failed; the
    ///   list held before for the URI, if any, stays.
    public func store(token: [UInt8], fetchedAt: Date) throws(StatusListError) {
        _ = try insert(token: token, fetchedAt: fetchedAt)
    }

    /// ``store(token:fetchedAt:)``, returning what was stored.
    func insert(token: [UInt8], fetchedAt: Date) throws(StatusListError) -> Entry {
        let entry = try check(token, fetchedAt: fetchedAt)
        try entries.withLock { (entries) throws(StatusListError) in
            if let held = entries[entry.uri], held.issuedAt > entry.issuedAt {
                throw StatusListError(.superseded, "a list issued later is already held for this URI")
            }
            entries[entry.uri] = entry
        }
        return entry
    }

    /// Records that the list held for `uri` was confirmed unchanged at `fetchedAt`
    /// (an HTTP 304 to a conditional fetch).
    ///
    /// - Returns: `false` when no list is held for `uri`.
    @discardableResult
    public func renew(uri: String, fetchedAt: Date) -> Bool {
        entries.withLock { entries in
            guard let held = entries[uri] else { return false }
            entries[uri] = Entry(uri: held.uri, token: held.token, kid: held.kid, issuedAt: held.issuedAt,
                                 expiresAt: held.expiresAt, timeToLive: held.timeToLive,
                                 fetchedAt: max(held.fetchedAt, fetchedAt), list: held.list)
            return true
        }
    }

    /// The list held for `uri`.
    public func entry(uri: String) -> Entry? { entries.withLock { $0[uri] } }

    /// Every list held, by URI.
    public var all: [Entry] { entries.withLock { $0.values.sorted { $0.uri < $1.uri } } }

    /// Forgets every list (a terminal switching upstream).
    public func removeAll() { entries.withLock { $0.removeAll() } }

    private func check(_ token: [UInt8], fetchedAt: Date) throws(StatusListError) -> Entry {
        let decoded: SignedStatusListToken
        do {
            decoded = try SignedStatusListToken(coseBytes: token)
        } catch {
            switch error.code {
            case .payloadTooLarge: throw StatusListError(.tooLarge, error.reason)
            case .unsupportedAlgorithm: throw StatusListError(.unsupportedAlgorithm, error.reason)
            default: throw StatusListError(.malformed, error.reason)
            }
        }
        let claims = decoded.token
        let issuedAt = Date(timeIntervalSince1970: TimeInterval(claims.issuedAt))
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(claims.expiresAt))
        let candidates = trustStore.snapshot.issuers(kid: decoded.kid)
        guard !candidates.isEmpty else {
            throw StatusListError(.unknownIssuer, "no certificate for kid \(decoded.kid.hexString)")
        }
        let trusted = candidates.filter { $0.trustedInterval?.contains(issuedAt) ?? false }
        guard !trusted.isEmpty else {
            throw StatusListError(.untrustedIssuer, "the certificate for kid \(decoded.kid.hexString) is not trusted at iat")
        }
        let toBeSigned = decoded.sign1.toBeSigned()
        guard trusted.contains(where: {
            $0.certificate.publicKey.algorithm.coseValue == Int(decoded.algorithm)
                && $0.certificate.publicKey.isValidSignature(decoded.sign1.signature, for: toBeSigned)
        }) else { throw StatusListError(.badSignature, "the status list signature does not verify") }
        guard issuedAt.timeIntervalSince(fetchedAt) <= clockSkew else {
            throw StatusListError(.notYetValid, "iat is later than the fetch time")
        }
        guard expiresAt > fetchedAt else { throw StatusListError(.expired, "the status list has expired") }
        return Entry(uri: claims.uri, token: token, kid: decoded.kid, issuedAt: issuedAt, expiresAt: expiresAt,
                     timeToLive: TimeInterval(claims.timeToLive), fetchedAt: fetchedAt, list: claims.list)
    }

    // MARK: - StatusSource

    public func status(of reference: StatusReference, now: Date, maximumAge: TimeInterval) -> StatusLookup {
        guard let entry = entry(uri: reference.uri) else { return .unavailable }
        guard now.timeIntervalSince(entry.fetchedAt) <= maximumAge, now < entry.expiresAt,
              reference.index <= UInt64(Int.max), let value = entry.list.value(at: Int(reference.index))
        else { return .unavailable }
        switch value {
        case StatusList.Value.valid: return .valid
        case StatusList.Value.invalid: return .revoked
        case StatusList.Value.suspended: return .suspended
        default: return .unavailable  // 3 is application-specific; Vouch never writes it
        }
    }
}
