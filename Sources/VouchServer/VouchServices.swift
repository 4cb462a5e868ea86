import VouchHTTP
import Foundation
public import Logging
import Metrics
import VouchCore
import VouchCrypto
import VouchLog
public import VouchIssuer
public import VouchStore
public import VouchVerifier

/// The long-lived parts of a running service, built once from the configuration.
public struct VouchServices: Sendable {
    public let configuration: ServerConfiguration
    /// SQLite in the data directory, or PostgreSQL shared with other nodes (`database_url`).
    public let store: Store
    public let writer: IssuanceWriter
    public let apiKeys: APIKeyStore
    /// What requests authenticate through: ``apiKeys`` behind a cache of a few seconds.
    public let apiKeyCache: APIKeyCache
    public let issuer: Issuer
    public let verifier: Verifier
    public let subjectSecret: [UInt8]
    let limiter: RateLimiter
    /// Status list allocation, publication and the verifier's status cache.
    public let statusLists: StatusLists
    /// The signed trust bundle terminals sync (`GET /v1/trust?format=cose`).
    public let trustBundles: TrustBundlePublisher
    /// Pushes checkpoints to the configured witnesses and holds the cosigned one (`nil`: no witnesses).
    public let witnesses: WitnessPusher?
    /// On PostgreSQL: this node's log integrator (it integrates while it holds the lease).
    public let integrator: PostgresIntegrator?

    /// Opens (and on first start creates) everything under the data directory.
    ///
    /// Runs `vouch init` implicitly: development keys are created when the data
    /// directory has none, with a loud log line saying so.
    public static func start(_ configuration: ServerConfiguration, logger: Logger) async throws -> VouchServices {
        let data = configuration.dataDirectory
        let initResult = try IssuerKeys.initialize(dataDirectory: data)
        if !initResult.created.isEmpty {
            logger.warning("DEVELOPMENT KEYS created: not for production", metadata: ["vouch.data_dir": "\(data.path)"])
        }
        let keys: IssuerKeys
        if let cert = configuration.issuerCertificatePath, let key = configuration.issuerKeyPath {
            keys = try IssuerKeys.load(certificatePath: cert, keyPath: key)
        } else {
            keys = try IssuerKeys.load(dataDirectory: data)
        }
        var issuerConfiguration = IssuerConfiguration(issuer: configuration.issuer, timeZone: configuration.timeZone)
        issuerConfiguration.timeZone = configuration.timeZone
        let issuer = try Issuer(key: keys.signingKey, certificate: keys.certificate, configuration: issuerConfiguration)
        let store = try await Store.open(databaseURL: configuration.databaseURL, dataDirectory: data,
                                         timeouts: configuration.postgres.timeouts, logger: logger)
        let layout = IssuerKeys.Layout(directory: data)
        let logKey = try PrivateKey.load(fromPEMFile: layout.logKey.path)
        let receiptKey = try IssuerKeys.receiptKey(dataDirectory: data, issuerKey: keys.signingKey)
        let writer = try IssuanceWriter(store: store, logKey: logKey, receiptKey: receiptKey,
                                        origin: configuration.logOrigin)
        // Named before the trust store loads, so this service's verifier and its trust bundle carry it.
        try ReceiptKey(origin: configuration.logOrigin, publicKey: receiptKey.publicKey)
            .write(to: layout.receiptPublicKey)
        let trust = try TrustStore(sources: .standard(certs: configuration.certsDirectory, dataDirectory: data))
        let policies = try PolicyStore.load(directory: configuration.policiesDirectory)
        let statusLists = try await StatusLists(configuration: configuration.statusLists, publicURL: configuration.publicURL,
                                          store: store, issuer: issuer, trustStore: trust)
        let logSize = await writer.treeSize
        logger.info("vouch services ready", metadata: [
            "vouch.kid": "\(keys.certificate.kid.hexString)", "vouch.policies": "\(policies.all.count)",
            "log.size": "\(logSize)", "store": "\(store.kind)",
        ])
        if case .postgres = store {
            let postgres = configuration.postgres
            logger.info("postgres node", metadata: [
                "vouch.node_id": "\(postgres.nodeID)", "store.pool_size": "\(postgres.timeouts.poolSize)",
                "integrator.lease_seconds": "\(postgres.leaseSeconds)",
                "integrator.interval_seconds": "\(postgres.roundInterval)",
            ])
        }
        let apiKeys = APIKeyStore(store: store)
        let witnesses = try configuration.witnesses.map {
            WitnessPusher(configuration: $0, reader: AuditLogReader(store: store),
                          logKey: try NoteVerifier(vkey: writer.verifierKey), logger: logger)
        }
        let integrator: PostgresIntegrator? = if case .postgres(let database) = store {
            try PostgresIntegrator(database: database, logKey: logKey, origin: configuration.logOrigin,
                                   holder: configuration.postgres.nodeID,
                                   leaseSeconds: configuration.postgres.leaseSeconds,
                                   interval: .seconds(configuration.postgres.roundInterval),
                                   logger: logger)
        } else {
            nil
        }
        return VouchServices(configuration: configuration, store: store, writer: writer,
                             apiKeys: apiKeys,
                             apiKeyCache: APIKeyCache(store: apiKeys, timeToLive: configuration.apiKeyCacheSeconds),
                             issuer: issuer,
                             verifier: Verifier(trustStore: trust, policies: policies, statusSource: statusLists.cache),
                             subjectSecret: try IssuerKeys.subjectSecret(dataDirectory: data),
                             limiter: RateLimiter(rate: configuration.rateLimit),
                             statusLists: statusLists,
                             trustBundles: TrustBundlePublisher(key: keys.signingKey, certificate: keys.certificate,
                                                                chain: keys.chain, issuer: configuration.issuer,
                                                                statusLists: { statusLists.allocator.listURIs },
                                                                witnessing: (writer.verifierKey,
                                                                             configuration.witnesses?.witnesses.map(\.key.vkey) ?? [],
                                                                             configuration.witnesses?.quorum ?? 0)),
                             witnesses: witnesses, integrator: integrator)
    }
}

extension VouchServices {
    /// Offers and the read side of wallets.
    public var wallets: WalletStore { WalletStore(store: store) }
}
