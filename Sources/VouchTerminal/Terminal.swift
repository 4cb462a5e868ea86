public import Foundation
public import Logging
import Synchronization
import VouchCore
public import VouchCrypto
public import VouchVerifier

/// A checkout terminal's state: the last signed trust bundle it accepted,
/// when it last synced, its clock floor, and the files that keep them across
/// restarts.
///
/// Verification reads the current ``TerminalSnapshot`` and nothing else: no
/// scan makes a network request. A new bundle is checked against the
/// configured upstream roots, then swapped in whole (trust store and policies
/// together) under a lock; a bundle older than the one held is refused, so a
/// replayed bundle cannot roll trust back.
public final class Terminal: Sendable {
    /// The roots a bundle's signer must chain to.
    public let upstreamRoots: [Certificate]
    /// The roots and issuer certificates of the bundle held, replaced in place by each new bundle.
    public let trustStore: TrustStore
    /// The status lists the sync fetched, checked against ``trustStore``; what the verifier consults.
    public let statusLists: StatusListCache
    let files: TerminalFiles
    let replayCache: ReplayCache
    let logger: Logger
    let state: Mutex<State>

    struct State {
        var snapshot: TerminalSnapshot?
        var bundle: TrustBundle?
        /// The last checkpoint with the witness quorum (Terminal+checkpoint.swift).
        var checkpoint: WitnessedCheckpoint?
        var persisted = TerminalFiles.Persisted()
        var lastAttemptAt: Date?
        var lastError: String?
    }

    /// Opens the terminal's files in `dataDirectory` and re-checks the bundle kept there.
    ///
    /// A kept bundle that no longer verifies against `upstreamRoots` is
    /// ignored (logged), and the terminal starts without trust data; its
    /// clock floor is kept regardless. Kept status lists are checked again
    /// against the bundle's issuers.
    public init(dataDirectory: URL, upstreamRoots: [Certificate],
                replayCache: ReplayCache = ReplayCache(capacity: 1 << 16), logger: Logger) throws {
        self.upstreamRoots = upstreamRoots
        let trustStore = TrustStore(roots: [], issuers: [])
        self.trustStore = trustStore
        self.statusLists = StatusListCache(trustStore: trustStore)
        self.replayCache = replayCache
        self.logger = logger
        self.files = try TerminalFiles(dataDirectory: dataDirectory)
        var initial = State()
        initial.persisted = files.readState()
        self.state = Mutex(initial)
        if let bytes = files.readBundle() {
            do {
                let signed = try SignedTrustBundle.open(bytes, roots: upstreamRoots)
                try install(signed.bundle, syncedAt: initial.persisted.syncedAt ?? signed.bundle.issuedAtDate)
                let lists = try statusLists.load(from: files.statusDirectory)
                logger.info("terminal: kept trust bundle loaded", metadata: [
                    "vouch.bundle_iat": "\(signed.bundle.issuedAt)", "vouch.status_lists": "\(lists.loaded.count)",
                ])
            } catch {
                logger.warning("terminal: kept trust bundle rejected", metadata: ["vouch.error": "\(error)"])
            }
        }
        loadKeptCheckpoint()
    }

    /// The current snapshot; `nil` until a first bundle is accepted.
    public var snapshot: TerminalSnapshot? { state.withLock { $0.snapshot } }
    /// The bundle the snapshot came from.
    public var bundle: TrustBundle? { state.withLock { $0.bundle } }
    /// ETag of the bundle held, for `If-None-Match`.
    public var bundleETag: String? { state.withLock { $0.persisted.etag } }
    /// The newest bundle `iat` ever accepted.
    public var clockFloor: Date { state.withLock { $0.persisted.clockFloor } }
    /// `now`, or the clock floor when `now` is earlier: the time the terminal believes.
    public func effectiveTime(_ now: Date) -> Date { max(now, clockFloor) }

    // MARK: Sync results

    /// Accepts a signed bundle fetched from the upstream at `now`.
    ///
    /// - Throws: ``TrustBundleError``: the bundle's own problem, `.rollback`
    ///   when it is older than the bundle held, `.invalidPolicy` for a policy
    ///   that does not pass lint. On error nothing changes.
    public func accept(signed bytes: [UInt8], etag: String?, at now: Date = Date()) throws(TrustBundleError) {
        let signed = try SignedTrustBundle.open(bytes, roots: upstreamRoots)
        if let held = bundle, signed.bundle.issuedAt < held.issuedAt {
            throw TrustBundleError(.rollback, "bundle iat \(signed.bundle.issuedAt) is older than \(held.issuedAt)")
        }
        let syncedAt = max(now, clockFloor, signed.bundle.issuedAtDate)
        try install(signed.bundle, syncedAt: syncedAt)
        let persisted = state.withLock { state in
            state.persisted.etag = etag
            state.lastAttemptAt = now
            state.lastError = nil
            return state.persisted
        }
        do {
            try files.writeBundle(bytes)
            try files.writeState(persisted)
        } catch {
            logger.error("terminal: cannot persist the trust bundle", metadata: ["vouch.error": "\(error)"])
        }
    }

    /// Records that the upstream confirmed the bundle held (HTTP 304) at `now`.
    public func confirm(at now: Date = Date()) {
        let persisted: TerminalFiles.Persisted? = state.withLock { state in
            state.lastAttemptAt = now
            state.lastError = nil
            guard let snapshot = state.snapshot else { return nil }
            let syncedAt = max(snapshot.effectiveTime(now), snapshot.syncedAt)
            state.snapshot = TerminalSnapshot(verifier: snapshot.verifier, bundleIssuedAt: snapshot.bundleIssuedAt,
                                              syncedAt: syncedAt, clockFloor: snapshot.clockFloor)
            state.persisted.syncedAt = syncedAt
            return state.persisted
        }
        if let persisted { try? files.writeState(persisted) }
    }

    /// Records status lists fetched at `now` (all of those the bundle names) and keeps them on disk.
    public func statusListsSynced(at now: Date, etags: [String: String]) {
        let persisted = state.withLock { state in
            state.persisted.statusSyncedAt = now
            state.persisted.statusETags = etags
            return state.persisted
        }
        do {
            try statusLists.save(to: files.statusDirectory)
            try files.writeState(persisted)
        } catch {
            logger.error("terminal: cannot persist status lists", metadata: ["vouch.error": "\(error)"])
        }
    }

    /// ETags of the status lists held, by URI.
    public var statusETags: [String: String] { state.withLock { $0.persisted.statusETags } }

    /// Records a failed sync; the terminal goes on with what it holds.
    public func recordFailure(_ message: String, at now: Date = Date()) {
        state.withLock { state in
            state.lastAttemptAt = now
            state.lastError = message
        }
    }

    // MARK: Verification

    /// Verifies a scanned code offline, with the terminal's rules (see ``TerminalSnapshot``).
    ///
    /// Before any bundle was accepted there are no policies: every code is
    /// `status_unavailable`, reported as offline too long.
    public func verify(_ text: String, policyID: String, now: Date = Date()) throws -> TerminalSnapshot.Outcome {
        guard let snapshot else {
            return TerminalSnapshot.Outcome(decision: Decision(reason: .statusUnavailable, policyID: policyID),
                                            time: max(now, clockFloor), clockBehind: now < clockFloor,
                                            offlineTooLong: true)
        }
        return try snapshot.verify(text, policyID: policyID, now: now)
    }

    /// What the checkout page shows about the terminal's data.
    public struct Status: Sendable {
        public let now: Date
        public let effectiveTime: Date
        public let syncedAt: Date?
        public let bundleIssuedAt: Date?
        public let statusSyncedAt: Date?
        public let lastAttemptAt: Date?
        public let lastError: String?
        public let clockFloor: Date
        public var clockBehind: Bool { now < clockFloor }
        /// The last sync attempt failed, or there never was a successful one.
        public var offline: Bool { syncedAt == nil || lastError != nil }
    }

    public func status(now: Date = Date()) -> Status {
        state.withLock { state in
            Status(now: now, effectiveTime: max(now, state.persisted.clockFloor), syncedAt: state.snapshot?.syncedAt,
                   bundleIssuedAt: state.snapshot?.bundleIssuedAt, statusSyncedAt: state.persisted.statusSyncedAt,
                   lastAttemptAt: state.lastAttemptAt, lastError: state.lastError,
                   clockFloor: state.persisted.clockFloor)
        }
    }

    // MARK: Installing

    /// Builds the stores from a verified bundle and swaps them in together.
    private func install(_ bundle: TrustBundle, syncedAt: Date) throws(TrustBundleError) {
        let policies = try bundle.policyStore()
        let verifier = Verifier(trustStore: trustStore, policies: policies, statusSource: statusLists,
                                replayCache: replayCache)
        state.withLock { state in
            trustStore.replace(roots: bundle.roots, issuers: bundle.issuers, receiptKeys: bundle.receiptKeys)
            let floor = max(state.persisted.clockFloor, bundle.issuedAtDate)
            state.persisted.clockFloor = floor
            state.persisted.syncedAt = syncedAt
            state.bundle = bundle
            state.snapshot = TerminalSnapshot(verifier: verifier, bundleIssuedAt: bundle.issuedAtDate,
                                              syncedAt: syncedAt, clockFloor: floor)
        }
    }
}
