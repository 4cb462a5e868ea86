internal import Foundation
internal import PostgresNIO

// MARK: For tests (internal, reached through @testable import)
//
// The PostgreSQL counterparts of VouchDatabase's `unsafeExecute`/`unsafeFetchInt`: the store tests run on both
// backends and sometimes have to read or break a table directly (row counts, column lists, a tampered tile).
// Nothing in the product calls these.

extension PostgresDatabase {
    /// Runs one raw SQL statement through the pool.
    func unsafeExecute(_ sql: String) async throws {
        _ = try await withConnection("execute") { connection in
            try await connection.run(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// Reads the first column of the first row as an integer (`count(*)` and the like).
    func unsafeFetchInt(_ sql: String) async throws -> Int? {
        try await withConnection("fetch") { connection in
            try await connection.rows(PostgresQuery(unsafeSQL: sql)).first.map { Int(try $0.decode(Int64.self)) }
        }
    }

    /// Reads the first column of every row as text.
    func unsafeFetchStrings(_ sql: String) async throws -> [String] {
        try await withConnection("fetch") { connection in
            try await connection.rows(PostgresQuery(unsafeSQL: sql)).map { try $0.decode(String.self) }
        }
    }

    /// The column names of a table in declaration order, as `VouchDatabase.columns(of:)` gives them.
    func columns(of table: String) async throws -> [String] {
        try await withConnection("read columns") { connection in
            try await connection.rows("""
                SELECT column_name::text FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name = \(table) ORDER BY ordinal_position
                """).map { try $0.decode(String.self) }
        }
    }
}
