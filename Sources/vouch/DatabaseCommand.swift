import VouchHTTP
import ArgumentParser
import Foundation
import VouchServer
import VouchStore

/// `vouch db migrate`: brings the configured store's schema up to date.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "The store: SQLite in the data directory, or PostgreSQL (database_url).",
        subcommands: [Migrate.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending migrations (PostgreSQL: under an advisory lock, safe while nodes start).")
        @OptionGroup var data: DataDirectoryOptions
        @Option(name: .customLong("database-url"),
                help: "postgres://user:pass@host:port/db or postgres:///db?host=/socket/dir (default: $VOUCH_DATABASE_URL; none: SQLite).")
        var databaseURL: String?

        func run() async throws {
            let url = databaseURL ?? Settings.string(.databaseURL)
            let timeouts = try DataDirectoryOptions.configuredTimeouts()
            do {
                switch try await Store.open(databaseURL: url, dataDirectory: data.url, timeouts: timeouts) {
                case .sqlite(let database):
                    let applied = try database.settings().appliedMigrations
                    print("sqlite \(database.path): \(applied.joined(separator: ", "))")
                case .postgres(let database):
                    let applied = try await database.appliedMigrations()
                    database.close()
                    print("postgres \(database.url): \(applied.joined(separator: ", "))")
                }
            } catch let error as StoreError {
                // The reason names database_url and never holds the password.
                throw CLIError.input(error.reason.hasPrefix("database_url") || url == nil
                                     ? error.reason : "database_url: \(error.reason)")
            }
        }
    }
}
