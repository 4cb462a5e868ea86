internal import GRDB
internal import PostgresNIO

extension StoreError {
    /// Runs `body`, turning SQLite errors into `StoreError` and letting ours through.
    ///
    /// GRDB's error descriptions carry the SQL but not its arguments
    /// (`publicStatementArguments` is off), so no hash or value leaks into logs.
    @discardableResult
    static func wrap<T>(_ context: String, file: String = #fileID, line: Int = #line,
                        _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw converting(error, context, file: file, line: line)
        }
    }

    @discardableResult
    static func wrap<T>(_ context: String, file: String = #fileID, line: Int = #line,
                        _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw converting(error, context, file: file, line: line)
        }
    }

    static func converting(_ error: any Error, _ context: String, file: String, line: Int) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            let code: Code
            switch error.extendedResultCode {
            case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY: code = .duplicate
            case _ where error.resultCode == .SQLITE_CONSTRAINT: code = .invalidInput
            default: code = .database
            }
            return StoreError(
                code: code, reason: "\(context): SQLite \(error.resultCode): \(error.message ?? "")",
                file: file, line: line)
        }
        if error is PSQLError {
            return PostgresDatabase.converting(error, context)
        }
        return StoreError(code: .database, reason: "\(context): \(error)", file: file, line: line)
    }
}
