import VouchHTTP
import ArgumentParser
import Foundation
import VouchStore
import VouchServer
import VouchCrypto
import VouchIssuer

/// Where the data directory is: `--data-dir`, else `VOUCH_DATA_DIR`, else `./data`.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (default: $VOUCH_DATA_DIR or ./data).")
    var dataDirectory: String?

    var url: URL {
        let path = dataDirectory ?? Settings.string(.dataDir) ?? "data"
        return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }
    /// The PostgreSQL bounds and pool size from the settings (`database_*`).
    ///
    /// - Throws: `CLIError` (exit 2) naming the bad setting.
    static func configuredTimeouts() throws -> PostgresTimeouts {
        do {
            return try PostgresConfiguration(settings: Settings.current).timeouts
        } catch {
            throw CLIError.input("configuration: \(error)")
        }
    }

    /// The configured store: PostgreSQL when `database_url` is set, else SQLite in the data directory.
    ///
    /// - Throws: `CLIError` (exit 2) naming `database_url` when it cannot be opened.
    func store() async throws -> Store {
        let timeouts = try Self.configuredTimeouts()
        do {
            return try await Store.open(databaseURL: Settings.string(.databaseURL), dataDirectory: url, timeouts: timeouts)
        } catch let error as StoreError {
            throw CLIError.input(error.reason.hasPrefix("database_url") ? error.reason : "store: \(error.reason)")
        }
    }
}

/// The issuer's key and configuration.
struct IssuerOptions: ParsableArguments {
    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "Issuer certificate PEM (production; default: the data directory's, $VOUCH_ISSUER_CERT).")
    var issuerCert: String?

    @Option(help: "Issuer private key PEM (production; default: the data directory's, $VOUCH_ISSUER_KEY).")
    var issuerKey: String?

    @Option(help: "The iss claim (default: $VOUCH_ISSUER or https://vouch.localhost).")
    var issuer: String?

    @Option(help: "Time zone for birthdays and end-of-day expiry (IANA name; default: $VOUCH_TIME_ZONE or UTC).")
    var timeZone: String?

    @Option(help: "Base URL of the status lists, <URL>/v1/status/N (default: $VOUCH_PUBLIC_URL or the server's).")
    var publicURL: String?

    func makeIssuer() throws -> Issuer {
        let keys: IssuerKeys
        if let cert = issuerCert ?? Settings.string(.issuerCert) {
            guard let key = issuerKey ?? Settings.string(.issuerKey) else {
                throw CLIError.input("--issuer-cert needs --issuer-key")
            }
            keys = try IssuerKeys.load(certificatePath: cert, keyPath: key)
        } else {
            let layout = IssuerKeys.Layout(directory: data.url)
            guard FileManager.default.fileExists(atPath: layout.issuerKey.path) else {
                throw CLIError.input("no issuer key in \(data.url.path): run `vouch init` first, or pass --issuer-cert and --issuer-key")
            }
            keys = try IssuerKeys.load(dataDirectory: data.url)
        }
        var configuration = IssuerConfiguration()
        if let iss = issuer ?? Settings.string(.issuer) { configuration.issuer = iss }
        if let name = timeZone ?? Settings.string(.timeZone) {
            guard let zone = TimeZone(identifier: name) else { throw CLIError.input("--time-zone: unknown zone \(name)") }
            configuration.timeZone = zone
        }
        return try Issuer(key: keys.signingKey, certificate: keys.certificate, configuration: configuration)
    }
}

extension IssuanceError {
    /// The CLI form: the field and the problem, exit code 2.
    var cliError: CLIError { CLIError.input("invalid input: \(description)") }
}
