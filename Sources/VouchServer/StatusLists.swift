import VouchHTTP
public import Foundation
public import VouchCore
public import VouchIssuer
public import VouchStore
public import VouchVerifier

/// Revocation in a running service: slot allocation, list publication, and
/// the status cache of the service's own verifier.
///
/// The service verifies (`POST /v1/verify`) through the same
/// ``StatusListCache`` a terminal uses, fed with the tokens the service
/// publishes, so its answers are those a terminal with a fresh list gives.
public final class StatusLists: Sendable {
    public let configuration: StatusListConfiguration
    public let allocator: StatusListAllocator
    public let publisher: StatusListPublisher
    /// The status source of the service's own verifier.
    public let cache: StatusListCache

    /// Opens allocation on the store and prepares publication.
    ///
    /// - Parameters:
    ///   - configuration: List size, `ttl`, validity.
    ///   - publicURL: Base of the list URIs (`<publicURL>/v1/status/<list>`).
    ///   - database: The store.
    ///   - issuer: Signs the lists.
    ///   - trustStore: What the cache checks the lists against (it must trust the issuer).
    /// - Throws: `StoreError` when the store cannot be read or the list size is out of range.
    public convenience init(configuration: StatusListConfiguration, publicURL: String, database: VouchDatabase,
                            issuer: Issuer, trustStore: TrustStore) throws {
        try self.init(configuration: configuration, allocator: StatusListAllocator(
            database: database, uriPrefix: StatusListConfiguration.uriPrefix(publicURL: publicURL),
            listSize: configuration.listSize), store: .sqlite(database), issuer: issuer, trustStore: trustStore)
    }

    /// On either store (on PostgreSQL the allocator claims its slots in the shared database).
    public convenience init(configuration: StatusListConfiguration, publicURL: String, store: Store, issuer: Issuer,
                            trustStore: TrustStore) async throws {
        let allocator = try await StatusListAllocator.make(
            store: store, uriPrefix: StatusListConfiguration.uriPrefix(publicURL: publicURL),
            listSize: configuration.listSize)
        try self.init(configuration: configuration, allocator: allocator, store: store, issuer: issuer,
                      trustStore: trustStore)
    }

    private init(configuration: StatusListConfiguration, allocator: StatusListAllocator, store: Store, issuer: Issuer,
                 trustStore: TrustStore) throws {
        self.configuration = configuration
        self.allocator = allocator
        self.publisher = StatusListPublisher(reader: AuditLogReader(store: store), issuer: issuer,
                                             configuration: configuration)
        self.cache = StatusListCache(trustStore: trustStore)
    }

    /// Re-signs the list of an attestation whose state changed and hands it to
    /// the cache, so that the service's own verifier answers with the change
    /// as soon as the change is acknowledged.
    public func stateChanged(_ change: StateChange, now: Date = Date()) async {
        guard change.logIndex != nil, let slot = change.statusSlot else { return }
        await publisher.invalidate(list: slot.list)
        await refresh(list: slot.list, now: now)
    }

    /// Brings the cache up to date for the list a code (or a presentation's
    /// credential) points at, if it is one of this service's lists; call it before verifying the code.
    ///
    /// Costs a decode and a dictionary lookup when nothing changed; checks and
    /// stores a token only when the publisher signed a new one. Any failure
    /// leaves the cache as it was (the verifier then answers from what it
    /// holds, or `status_unavailable`).
    public func refreshCache(for text: String, now: Date = Date()) async {
        guard let reference = (try? ScannedCode(text: text))?.credential.claims.status,
              let id = try? await publisher.listID(uri: reference.uri)
        else { return }
        await refresh(list: id, now: now)
    }

    private func refresh(list id: Int, now: Date) async {
        guard let published = try? await publisher.token(list: id, now: now) else { return }
        if cache.entry(uri: published.uri)?.token == published.token {
            cache.renew(uri: published.uri, fetchedAt: now)
        } else {
            try? cache.store(token: published.token, fetchedAt: now)
        }
    }
}

/// The slots reserved while one request is signed, so that each attestation
/// is recorded with the slot its token names.
public final class StatusReservations {
    public let allocator: StatusListAllocator
    private var slots: [StatusReference: StatusSlot] = [:]
    /// Slots taken by ``prepare(_:)`` and not yet handed out; ``releaseUnused()`` gives them back.
    private var prepared: [StatusAllocation] = []

    public init(_ allocator: StatusListAllocator) {
        self.allocator = allocator
    }

    /// Reserves `count` slots ahead of signing, waiting for them if the store's pool is refilling, so that
    /// the synchronous ``reserve()`` calls made while signing find them ready.
    public func prepare(_ count: Int) async throws {
        prepared += try await allocator.reserve(count: count)
    }

    /// Gives the prepared slots no attestation took back to the allocator (call when signing ended,
    /// refused or not), so that a refused request uses up no slot.
    public func releaseUnused() {
        allocator.giveBack(prepared)
        prepared = []
    }

    /// Reserves a slot (a prepared one first) and returns the `status` claim for it.
    public func reserve() throws -> StatusReference {
        let allocation = prepared.isEmpty ? try allocator.reserve() : prepared.removeFirst()
        slots[allocation.reference] = allocation.slot
        return allocation.reference
    }

    /// The slot reserved for a signed attestation.
    public func slot(for attestation: IssuedAttestation) -> StatusSlot? {
        attestation.claims.status.flatMap { slots[$0] }
    }

    /// What the store records of a signed attestation: hashes, times, its slot, never its claims.
    public func pending(_ attestation: IssuedAttestation, kid: [UInt8], subject: [UInt8]? = nil) -> PendingAttestation {
        PendingAttestation(
            cti: attestation.claims.tokenID, kid: kid, vct: attestation.claims.type,
            tokenHash: PendingAttestation.tokenHash(of: attestation.loggedBytes),
            issuedAt: Date(timeIntervalSince1970: TimeInterval(attestation.claims.issuedAt)),
            expiresAt: attestation.expiresAt, statusSlot: slot(for: attestation), subject: subject)
    }

    /// Commits a signed batch, each code in its own group commit (concurrently),
    /// and returns the codes with their log receipts attached: the only form
    /// that may leave the issuer (format.md §7).
    ///
    /// - Throws: `StoreError` when a commit fails; then no code of the batch should be handed out.
    public func commit(_ batch: [IssuedAttestation], to writer: IssuanceWriter, kid: [UInt8],
                       subject: [UInt8]? = nil) async throws -> [IssuedAttestation] {
        _ = try await writer.logReceiptKey()
        let items = batch.map { pending($0, kid: kid, subject: subject) }
        let receipts = try await Self.receipts(committing: items, to: writer)
        return try zip(batch, receipts).map { attestation, receipt in try attestation.attaching(receipt) }
    }

    /// The receipts of `items` committed concurrently (each in its own group commit), in their order.
    ///
    /// Kept apart from ``commit(_:to:kid:subject:)`` and not inlined: Swift 6.3's optimizer crashed
    /// (signal 11, splitting the coroutine) on a release build with the task group inside it.
    @inline(never)
    private static func receipts(committing items: [PendingAttestation],
                                 to writer: IssuanceWriter) async throws -> [LogReceipt] {
        if items.count == 1 {
            // The common case (one code) needs no child task.
            return [try await writer.commit(items[0]).receipt]
        }
        var receipts = [LogReceipt?](repeating: nil, count: items.count)
        try await withThrowingTaskGroup(of: (Int, LogReceipt).self) { group in
            for (position, item) in items.enumerated() {
                group.addTask { (position, try await writer.commit(item).receipt) }
            }
            while let done = try await group.next() {
                receipts[done.0] = done.1
            }
        }
        return try receipts.map { receipt in
            guard let receipt else { throw StoreError(code: .corrupt, reason: "receipt missing") }
            return receipt
        }
    }
}
