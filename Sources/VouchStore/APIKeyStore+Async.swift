public import Foundation
internal import PostgresNIO
internal import VouchCrypto

/// The API key calls on either store, async (PostgreSQL is reached over the network).
///
/// On SQLite they run the synchronous calls; on PostgreSQL the same rows
/// (`api_keys`, hashes only) through the pool. A revocation is a committed
/// UPDATE, so every node sees it on its next lookup, at most ``APIKeyCache``'s
/// time to live later.
extension APIKeyStore {
    /// ``create(name:scopes:)`` on either store.
    public func createKey(name: String?, scopes: Set<APIScope>) async throws -> (key: APIKey, secret: String) {
        guard case .postgres(let database) = store else { return try create(name: name, scopes: scopes) }
        guard !scopes.isEmpty else {
            throw StoreError(code: .invalidInput, reason: "an API key needs at least one scope")
        }
        let (key, secret, hash) = try newKey(name: name, scopes: scopes)
        try await database.withConnection("create API key") { connection in
            try await connection.run("""
                INSERT INTO api_keys (id, name, key_hash, scopes, created_at, revoked_at)
                VALUES (\(key.id), \(name), \(Data(hash)), \(APIScope.encode(scopes)), \(key.createdAt.unixSeconds), NULL)
                """)
        }
        return (key, secret)
    }

    /// ``authenticate(secret:)`` on either store.
    public func authenticateKey(secret: String) async throws -> APIKey? {
        guard let presented = Self.presentedHash(secret) else { return nil }
        return try await lookup(presentedHash: presented)
    }

    func lookup(presentedHash presented: [UInt8]) async throws -> APIKey? {
        guard case .postgres(let database) = store else { return try authenticate(presentedHash: presented) }
        let found = try await database.withConnection("authenticate API key") { connection in
            try await connection.rows("""
                SELECT id, name, key_hash, scopes, created_at, revoked_at FROM api_keys WHERE key_hash = \(Data(presented))
                """).first.map(Self.postgresKey)
        }
        guard let (key, stored) = found, constantTimeEquals(stored, presented) else { return nil }
        return key.isRevoked ? nil : key
    }

    /// ``list()`` on either store.
    public func listKeys() async throws -> [APIKey] {
        guard case .postgres(let database) = store else { return try list() }
        return try await database.withConnection("list API keys") { connection in
            try await connection.rows("""
                SELECT id, name, key_hash, scopes, created_at, revoked_at FROM api_keys ORDER BY created_at, id
                """).map { try Self.postgresKey($0).key }
        }
    }

    /// ``revoke(id:)`` on either store.
    @discardableResult
    public func revokeKey(id: String) async throws -> APIKey {
        guard case .postgres(let database) = store else { return try revoke(id: id) }
        let time = now().unixSeconds
        return try await database.transaction("revoke API key") { connection in
            try await connection.run("UPDATE api_keys SET revoked_at = \(time) WHERE id = \(id) AND revoked_at IS NULL")
            guard let row = try await connection.rows("""
                SELECT id, name, key_hash, scopes, created_at, revoked_at FROM api_keys WHERE id = \(id)
                """).first else {
                throw StoreError(code: .notFound, reason: "no API key \(id)")
            }
            return try Self.postgresKey(row).key
        }
    }

    private static func postgresKey(_ row: PostgresRow) throws -> (key: APIKey, hash: [UInt8]) {
        let (id, name, hash, scopes, created, revoked) = try row.decode((String, String?, Data, String, Int64, Int64?).self)
        return (APIKey(id: id, name: name, scopes: APIScope.decode(scopes), createdAt: Date(unixSeconds: created),
                       revokedAt: revoked.map(Date.init(unixSeconds:))), [UInt8](hash))
    }
}

extension APIKeyCache {
    /// ``authenticate(secret:)`` on either store: a hit within the time to live skips the store.
    public func authenticateKey(secret: String) async throws -> APIKey? {
        guard let hash = APIKeyStore.presentedHash(secret) else { return nil }
        if let key = cached(hash) { return key }
        let key = try await store.lookup(presentedHash: hash)
        remember(hash, key)
        return key
    }
}
