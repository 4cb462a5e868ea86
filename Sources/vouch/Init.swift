import VouchHTTP
import ArgumentParser
import Foundation
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchServer
import VouchVerifier

/// `vouch init`: development keys in the data directory, once.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create development keys and certificates in the data directory (never overwrites).",
        discussion: """
            Creates a development root CA (P-256), an issuer signing certificate under it, an \
            Ed25519 audit-log key and an Ed25519 log receipt key (its public half, with the log origin of \
            VOUCH_LOG_ORIGIN, in certs/receipt.pem for verifiers). Private keys are written with mode 0600. Running it again changes nothing. \
            These are DEVELOPMENT keys: production issuers bring their own certificate and key.
            """
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "Issuer signing algorithm: es256 (default) or eddsa.")
    var alg: String = "es256"

    func run() throws {
        let algorithm: SigningAlgorithm
        switch alg.lowercased() {
        case "es256": algorithm = .es256
        case "eddsa", "ed25519": algorithm = .eddsa
        default: throw CLIError.input("--alg must be es256 or eddsa")
        }
        let result = try IssuerKeys.initialize(dataDirectory: data.url, algorithm: algorithm)
        try Self.nameReceiptKey(dataDirectory: data.url)
        if result.created.isEmpty {
            print("vouch init: \(data.url.path) is already initialised; nothing changed")
            return
        }
        Console.error("""
            ************************************************************************
            *  DEVELOPMENT KEYS created in \(data.url.path)
            *  They are NOT for production: anyone with this directory can issue
            *  codes that your terminals trust. Bring your own issuer certificate
            *  and key for production (--issuer-cert/--issuer-key).
            ************************************************************************
            """)
        for url in result.created { print("created \(url.path)") }
        let keys = try IssuerKeys.load(dataDirectory: data.url)
        print("issuer kid \(keys.certificate.kid.hexString)")
    }

    /// Writes `certs/receipt.pem` (the receipt key's public half and the log origin), so that a verifier of
    /// this directory trusts the receipts of its log from the start.
    static func nameReceiptKey(dataDirectory: URL) throws {
        let origin = (try? ServerConfiguration(settings: Settings.current))?.logOrigin
            ?? ServerConfiguration(host: "127.0.0.1").logOrigin
        let key = try IssuerKeys.receiptKey(dataDirectory: dataDirectory)
        try ReceiptKey(origin: origin, publicKey: key.publicKey)
            .write(to: IssuerKeys.Layout(directory: dataDirectory).receiptPublicKey)
    }
}
