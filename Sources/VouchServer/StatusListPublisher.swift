public import Foundation
import VouchCore
import VouchCrypto
public import VouchIssuer
public import VouchStore

/// Builds, signs and caches the Status List Token of each list (format.md §4).
///
/// A list is read from the store in one snapshot, packed, compressed and
/// signed with the issuer key, then kept until its bits change
/// (``invalidate(list:)`` after a revocation, suspension or reinstatement) or
/// half of its validity has passed. A new allocation does not change the bits
/// (an unused slot and a valid one are both 0), so issuance never invalidates.
/// Concurrent requests for a list that needs building share one build.
public actor StatusListPublisher {
    /// A signed list as served.
    public struct Published: Sendable, Hashable {
        /// The list number.
        public let id: Int
        /// Its `sub`.
        public let uri: String
        /// COSE_Sign1_Tagged bytes, `application/statuslist+cwt`.
        public let token: [UInt8]
        /// A strong entity tag: a quoted hash of ``token``.
        public let etag: String
        public let issuedAt: Date
        public let expiresAt: Date
        /// Seconds clients may cache it.
        public let timeToLive: Int
    }

    public let configuration: StatusListConfiguration
    private let reader: AuditLogReader
    private let issuer: Issuer
    private var cache: [Int: Published] = [:]
    /// Bumped by every invalidation, so that a build that read the store
    /// before a change is not cached after it.
    private var generations: [Int: Int] = [:]
    private var building: [Int: Build] = [:]
    private var idsByURI: [String: Int] = [:]

    private struct Build {
        let generation: Int
        let task: Task<Published?, any Error>
    }

    /// - Parameters:
    ///   - reader: Where lists and slot states are read.
    ///   - issuer: Signs the tokens with its key and `kid`.
    ///   - configuration: `ttl` and validity of the tokens.
    public init(reader: AuditLogReader, issuer: Issuer, configuration: StatusListConfiguration) {
        self.reader = reader
        self.issuer = issuer
        self.configuration = configuration
    }

    /// The current token of a list, built if its bits changed or it is half way to expiry.
    ///
    /// - Parameters:
    ///   - id: The list number.
    ///   - now: The signing time (`iat`).
    /// - Returns: `nil` when there is no such list.
    /// - Throws: `StoreError` when the store cannot be read, `IssuanceError` when signing fails.
    public func token(list id: Int, now: Date = Date()) async throws -> Published? {
        if case .postgres(let database) = reader.store {
            return try await sharedToken(list: id, database, now: now)
        }
        if let cached = cache[id], isFresh(cached, now: now) { return cached }
        let generation = generations[id, default: 0]
        if let build = building[id], build.generation == generation {
            return try await build.task.value
        }
        let (reader, issuer, configuration) = (reader, issuer, configuration)
        let task = Task { try await Self.build(id, reader: reader, issuer: issuer, configuration: configuration, now: now) }
        building[id] = Build(generation: generation, task: task)
        let result: Result<Published?, any Error>
        do {
            result = .success(try await task.value)
        } catch {
            result = .failure(error)
        }
        if building[id]?.generation == generation { building[id] = nil }
        if case .success(let published?) = result, generations[id, default: 0] == generation {
            cache[id] = published
        }
        return try result.get()
    }

    /// Drops the cached token of a list whose bits changed; the next request re-signs it.
    public func invalidate(list id: Int) {
        generations[id, default: 0] += 1
        cache[id] = nil
    }

    /// The number of the list with this URI, if it is one of this store's.
    ///
    /// - Throws: `StoreError` when the store cannot be read.
    public func listID(uri: String) async throws -> Int? {
        if let id = idsByURI[uri] { return id }
        guard let list = try await reader.statusList(uri: uri) else { return nil }
        idsByURI[uri] = list.id  // a list's URI never changes
        return list.id
    }

    /// The current tokens of every list, oldest list first.
    public func all(now: Date = Date()) async throws -> [Published] {
        var published: [Published] = []
        for list in try await reader.statusLists() {
            if let token = try await token(list: list.id, now: now) { published.append(token) }
        }
        return published
    }

    /// On PostgreSQL: the token every node serves, signed once per change of the list (see
    /// `PostgresDatabase.statusToken`); no per-node cache, so a change made through another node shows at once.
    private func sharedToken(list id: Int, _ database: PostgresDatabase, now: Date) async throws -> Published? {
        let (issuer, configuration) = (issuer, configuration)
        let validity = TimeInterval(configuration.validity)
        guard let stored = try await database.statusToken(list: id, isFresh: { stored in
            let age = now.timeIntervalSince(stored.issuedAt)
            return age >= 0 && age < validity / 2
        }, sign: { list, statuses in
            let issuedAt = UInt64(max(0, now.timeIntervalSince1970.rounded(.down)))
            let token = StatusListToken(
                uri: list.uri, issuedAt: issuedAt, expiresAt: issuedAt + UInt64(configuration.validity),
                timeToLive: UInt64(configuration.timeToLive), list: statuses)
            return (try issuer.sign(token), Date(timeIntervalSince1970: TimeInterval(issuedAt)))
        }) else { return nil }
        return Published(
            id: id, uri: stored.uri, token: stored.token,
            etag: "\"" + Digest.sha256(stored.token).prefix(16).hexString + "\"",
            issuedAt: stored.issuedAt, expiresAt: stored.issuedAt.addingTimeInterval(validity),
            timeToLive: configuration.timeToLive)
    }

    private func isFresh(_ published: Published, now: Date) -> Bool {
        let age = now.timeIntervalSince(published.issuedAt)
        return age >= 0 && age < TimeInterval(configuration.validity) / 2
    }

    private static func build(_ id: Int, reader: AuditLogReader, issuer: Issuer,
                              configuration: StatusListConfiguration, now: Date) async throws -> Published? {
        guard let contents = try await reader.statusListContents(id: id) else { return nil }
        let issuedAt = UInt64(max(0, now.timeIntervalSince1970.rounded(.down)))
        let token = StatusListToken(
            uri: contents.list.uri, issuedAt: issuedAt, expiresAt: issuedAt + UInt64(configuration.validity),
            timeToLive: UInt64(configuration.timeToLive), list: contents.statuses)
        let bytes = try issuer.sign(token)
        return Published(
            id: id, uri: contents.list.uri, token: bytes,
            etag: "\"" + Digest.sha256(bytes).prefix(16).hexString + "\"",
            issuedAt: Date(timeIntervalSince1970: TimeInterval(issuedAt)),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(token.expiresAt)),
            timeToLive: configuration.timeToLive)
    }
}
