internal import Foundation
internal import Logging
internal import NIOCore
internal import PostgresNIO

/// Small conveniences over postgres-nio for the store's queries.
extension PostgresConnection {
    static let storeLogger = Logger(label: "vouch.store.postgres")

    /// Every row of a query (the store's reads are bounded by their LIMITs or by the batch).
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await self.query(query, logger: Self.storeLogger).collect()
    }

    /// Runs a statement; with `RETURNING 1` the count is the number of rows it changed.
    @discardableResult
    func run(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).count
    }

    func exists(_ query: PostgresQuery) async throws -> Bool {
        try await rows(query).isEmpty == false
    }
}

extension Data {
    /// A bytea value from bytes.
    init(_ buffer: ByteBuffer) {
        self.init(buffer.readableBytesView)
    }
}

extension ByteBuffer {
    init(_ bytes: [UInt8]) {
        self.init(bytes: bytes)
    }
}
