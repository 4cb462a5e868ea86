import VouchHTTP
import ArgumentParser
import Foundation
import VouchStore

/// `vouch apikey create|list|revoke`.
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Manage API keys (stored as SHA-256 hashes only).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key; the secret is printed once, never again.")
        @OptionGroup var data: DataDirectoryOptions
        @Option(help: "Comma-separated scopes: issue, revoke, audit.") var scope: String
        @Option(help: "A name to recognise the key by.") var name: String?

        func run() async throws {
            var scopes = Set<APIScope>()
            for part in scope.split(separator: ",") {
                guard let s = APIScope(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                    throw CLIError.input("--scope: unknown scope \"\(part)\"; use issue, revoke, audit")
                }
                scopes.insert(s)
            }
            guard !scopes.isEmpty else { throw CLIError.input("--scope: name at least one scope") }
            let store = APIKeyStore(store: try await data.store())
            let (key, secret) = try await store.createKey(name: name, scopes: scopes)
            Console.error("key \(key.id) created with scopes \(key.scopes.map(\.rawValue).sorted().joined(separator: ",")); "
                + "the secret below is shown once")
            print(secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (ids, names, scopes; never secrets).")
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            for key in try await APIKeyStore(store: try await data.store()).listKeys() {
                let scopes = key.scopes.map(\.rawValue).sorted().joined(separator: ",")
                print("\(key.id)\t\(key.name ?? "-")\t\(scopes)\t\(key.isRevoked ? "revoked" : "active")")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id.")
        @OptionGroup var data: DataDirectoryOptions
        @Argument(help: "The key id.") var id: String

        func run() async throws {
            do {
                let key = try await APIKeyStore(store: try await data.store()).revokeKey(id: id)
                print("revoked \(key.id)")
            } catch let error as StoreError where error.code == .notFound {
                throw CLIError.input("no API key \(id)")
            }
        }
    }
}
