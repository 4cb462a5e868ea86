public import Foundation
internal import GRDB
internal import VouchCrypto

/// Creates, authenticates, lists and revokes API keys.
///
/// A key's secret is `vch_` followed by the unpadded base64url form of 32
/// random bytes. It is returned once, by ``create(name:scopes:)``; the store
/// keeps only its SHA-256, so neither a database copy nor a backup yields a
/// usable credential.
public struct APIKeyStore: Sendable {
    /// The prefix of every secret, so leaked secrets are easy to scan for.
    public static let secretPrefix = "vch_"
    static let secretRandomBytes = 32
    /// Longest secret looked up at all; real ones are 47 characters.
    static let maximumSecretLength = 128

    let store: Store
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - database: The open store.
    ///   - now: The clock for `created_at` and `revoked_at`.
    public init(database: VouchDatabase, now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(store: .sqlite(database), now: now)
    }

    /// Keys on either store; on PostgreSQL use the async calls (``createKey(name:scopes:)``, ...).
    public init(store: Store, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// The SQLite database behind the synchronous calls.
    private var database: VouchDatabase {
        get throws {
            guard case .sqlite(let database) = store else {
                throw StoreError(code: .invalidInput, reason: "synchronous API key calls exist on SQLite only")
            }
            return database
        }
    }

    /// Creates a key and returns it with its secret.
    ///
    /// - Parameters:
    ///   - name: An operator's label; `nil` for none.
    ///   - scopes: At least one scope.
    /// - Returns: The stored key and the secret, which is not retrievable later.
    /// - Throws: `StoreError.invalidInput` for an empty scope set,
    ///   `StoreError.database` if the key cannot be stored.
    public func create(name: String?, scopes: Set<APIScope>) throws -> (key: APIKey, secret: String) {
        guard !scopes.isEmpty else {
            throw StoreError(code: .invalidInput, reason: "an API key needs at least one scope")
        }
        let (key, secret, keyHash) = try newKey(name: name, scopes: scopes)
        try StoreError.wrap("create API key") {
            try database.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO api_keys (id, name, key_hash, scopes, created_at, revoked_at)
                        VALUES (?, ?, ?, ?, ?, NULL)
                        """,
                    arguments: [key.id, name, Data(keyHash), APIScope.encode(scopes), key.createdAt.unixSeconds])
            }
        }
        return (key, secret)
    }

    /// Finds the live key whose secret this is.
    ///
    /// - Parameter secret: The bearer token as presented.
    /// - Returns: The key, or `nil` if the secret is unknown, malformed or revoked.
    /// - Throws: `StoreError.database` only if the store cannot be read.
    public func authenticate(secret: String) throws -> APIKey? {
        guard let presented = Self.presentedHash(secret) else { return nil }
        return try authenticate(presentedHash: presented)
    }

    /// The hash a secret is looked up by, or `nil` for a secret that cannot be a key's (wrong prefix, too long).
    static func presentedHash(_ secret: String) -> [UInt8]? {
        guard secret.hasPrefix(secretPrefix), secret.utf8.count <= maximumSecretLength else { return nil }
        return hash(secret)
    }

    /// ``authenticate(secret:)`` for a secret already hashed by ``presentedHash(_:)``.
    func authenticate(presentedHash presented: [UInt8]) throws -> APIKey? {
        let row = try StoreError.wrap("authenticate API key") {
            try database.pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE key_hash = ?", arguments: [Data(presented)])
            }
        }
        guard let row else { return nil }
        let stored: Data = row["key_hash"]
        // The lookup already matched; the constant-time check keeps the
        // decision independent of how SQLite compared the blobs.
        guard constantTimeEquals([UInt8](stored), presented) else { return nil }
        let key = Self.key(from: row)
        return key.isRevoked ? nil : key
    }

    /// Every key, revoked ones included, in creation order.
    public func list() throws -> [APIKey] {
        try StoreError.wrap("list API keys") {
            try database.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at, rowid").map(Self.key(from:))
            }
        }
    }

    /// Revokes a key; revoking a revoked key keeps its first revocation time.
    ///
    /// - Returns: The key as stored after the call.
    /// - Throws: `StoreError.notFound` if no key has that id.
    @discardableResult
    public func revoke(id: String) throws -> APIKey {
        let time = now().unixSeconds
        return try StoreError.wrap("revoke API key") {
            try database.pool.write { db in
                try db.execute(
                    sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                    arguments: [time, id])
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE id = ?", arguments: [id]) else {
                    throw StoreError(code: .notFound, reason: "no API key \(id)")
                }
                return Self.key(from: row)
            }
        }
    }

    static func hash(_ secret: String) -> [UInt8] {
        Digest.sha256(Array(secret.utf8))
    }

    private static func key(from row: Row) -> APIKey {
        let revokedAt: Int64? = row["revoked_at"]
        return APIKey(
            id: row["id"], name: row["name"], scopes: APIScope.decode(row["scopes"]),
            createdAt: Date(unixSeconds: row["created_at"]),
            revokedAt: revokedAt.map(Date.init(unixSeconds:)))
    }

    /// A new key, its secret and the secret's hash (what is stored).
    func newKey(name: String?, scopes: Set<APIScope>) throws -> (key: APIKey, secret: String, hash: [UInt8]) {
        let random: [UInt8]
        let idBytes: [UInt8]
        do {
            random = try SecureRandom.bytes(count: Self.secretRandomBytes)
            idBytes = try SecureRandom.bytes(count: 8)
        } catch {
            throw StoreError(code: .database, reason: "no randomness for an API key: \(error)")
        }
        let secret = Self.secretPrefix + Base64URL.encode(random)
        let key = APIKey(
            id: "key_" + Hex.encode(idBytes), name: name, scopes: scopes,
            createdAt: Date(timeIntervalSince1970: TimeInterval(Int64(now().timeIntervalSince1970))),
            revokedAt: nil)
        return (key, secret, Self.hash(secret))
    }
}
