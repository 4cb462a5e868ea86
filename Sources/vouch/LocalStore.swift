import VouchHTTP
import Foundation
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchServer
import VouchStore
import VouchVerifier

/// Issuance from the command line, recorded as the server records it: each
/// attestation with a status slot and an audit log entry in the data
/// directory's store, committed before its token is printed.
///
/// The store has one writer: issue here only while no `vouch serve` uses the
/// same data directory (a clash fails cleanly as a duplicate slot or a log
/// conflict, and prints nothing), or issue over HTTP.
struct LocalIssuance {
    let writer: IssuanceWriter
    let slots: StatusReservations

    /// Opens the store of `dataDirectory` with the `VOUCH_*` settings a server would use there.
    ///
    /// - Parameter publicURL: The base of status list URIs (`--public-url`), else `VOUCH_PUBLIC_URL`'s.
    static func open(dataDirectory: URL, publicURL: String?) throws -> LocalIssuance {
        let configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration(settings: Settings.current)
        } catch {
            throw CLIError.input("configuration: \(error)")
        }
        if configuration.databaseURL != nil {
            // Several nodes share that store: issuing is theirs (their slot pools, their integrator).
            throw CLIError.input("database_url (VOUCH_DATABASE_URL) is set, and `vouch issue` writes only a data "
                                 + "directory's SQLite store: issue through a node (POST /v1/attestations/...), "
                                 + "or unset database_url")
        }
        let logKeyPath = IssuerKeys.Layout(directory: dataDirectory).logKey.path
        guard FileManager.default.fileExists(atPath: logKeyPath) else {
            throw CLIError.input("no audit-log key in \(dataDirectory.path): run `vouch init` first")
        }
        let database = try VouchDatabase(dataDirectory: dataDirectory)
        // First: its lock refuses to run beside a server issuing from the same store.
        let allocator: StatusListAllocator
        do {
            allocator = try StatusListAllocator(
                database: database,
                uriPrefix: StatusListConfiguration.uriPrefix(publicURL: publicURL ?? configuration.publicURL),
                listSize: configuration.statusLists.listSize)
        } catch let error as StoreError {
            throw CLIError.input(error.reason)
        }
        let receiptKey = try IssuerKeys.receiptKey(dataDirectory: dataDirectory)
        let writer = try IssuanceWriter(database: database, logKey: try PrivateKey.load(fromPEMFile: logKeyPath),
                                        receiptKey: receiptKey, origin: configuration.logOrigin)
        try ReceiptKey(origin: configuration.logOrigin, publicKey: receiptKey.publicKey)
            .write(to: IssuerKeys.Layout(directory: dataDirectory).receiptPublicKey)
        return LocalIssuance(writer: writer, slots: StatusReservations(allocator))
    }

    /// A status reference for the next attestation (the issuer's `status:` argument).
    func reserve() throws -> StatusReference { try slots.reserve() }

    /// Records a signed batch, all or nothing, before any of it is shown.
    ///
    /// - Returns: The codes carrying their log receipts: print only these.
    func record(_ batch: [IssuedAttestation], kid: [UInt8]) async throws -> [IssuedAttestation] {
        _ = try await writer.logReceiptKey()
        let items = batch.map { slots.pending($0, kid: kid) }
        let committed = try await writer.commitBulk(items)
        return try zip(batch, committed).map { try $0.attaching($1.receipt) }
    }
}

/// The status lists of the local store, signed and checked as a terminal would
/// receive them, so that `vouch verify` on the issuer's machine knows revocations.
enum LocalStatusLists {
    /// A cache holding the current list of every list in `dataDirectory`'s store.
    ///
    /// Returns an empty cache (every lookup `unavailable`) when the directory
    /// has no store or no issuer key; lists that fail their checks are skipped
    /// with a warning.
    static func cache(dataDirectory: URL, trustStore: TrustStore, now: Date) async -> StatusListCache {
        let cache = StatusListCache(trustStore: trustStore)
        let layout = IssuerKeys.Layout(directory: dataDirectory)
        let store = dataDirectory.appendingPathComponent(VouchDatabase.fileName).path
        guard FileManager.default.fileExists(atPath: store) else { return cache }
        do {
            let keys: IssuerKeys
            if let cert = Settings.string(.issuerCert), let key = Settings.string(.issuerKey) {
                keys = try IssuerKeys.load(certificatePath: cert, keyPath: key)
            } else {
                guard FileManager.default.fileExists(atPath: layout.issuerKey.path) else { return cache }
                keys = try IssuerKeys.load(dataDirectory: dataDirectory)
            }
            let issuer = try Issuer(key: keys.signingKey, certificate: keys.certificate)
            let configuration = (try? StatusListConfiguration(settings: Settings.current)) ?? StatusListConfiguration()
            let publisher = StatusListPublisher(reader: AuditLogReader(database: try VouchDatabase(dataDirectory: dataDirectory)),
                                                issuer: issuer, configuration: configuration)
            for published in try await publisher.all(now: now) {
                do {
                    try cache.store(token: published.token, fetchedAt: now)
                } catch {
                    Console.error("vouch: status list \(published.uri) not used: \(error.code)")
                }
            }
        } catch {
            Console.error("vouch: no status lists from \(dataDirectory.path): \(error)")
        }
        return cache
    }
}
