internal import GRDB

extension VouchDatabase {
    /// Row counts, for metrics and operators; counting is O(rows), so scrape sparingly.
    public struct Counts: Sendable, Hashable {
        public var attestations: Int
        public var apiKeys: Int
        public var logEntries: Int
        public var checkpoints: Int
    }

    /// Counts the rows of the main tables in one snapshot.
    public func counts() async throws -> Counts {
        try await StoreError.wrap("count rows") {
            try await pool.read { db in
                func count(_ table: String) throws -> Int {
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
                }
                return Counts(
                    attestations: try count("attestations"), apiKeys: try count("api_keys"),
                    logEntries: try count("log_entries"), checkpoints: try count("checkpoints"))
            }
        }
    }

    // MARK: For tests (internal, reached through @testable import)

    /// Runs raw SQL on the writer, outside the writer actor.
    func unsafeExecute(_ sql: String) throws {
        try StoreError.wrap("execute") {
            try pool.writeWithoutTransaction { db in try db.execute(sql: sql) }
        }
    }

    /// Reads one integer with raw SQL.
    func unsafeFetchInt(_ sql: String) throws -> Int? {
        try StoreError.wrap("fetch") {
            try pool.read { db in try Int.fetchOne(db, sql: sql) }
        }
    }
}
