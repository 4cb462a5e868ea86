import VouchHTTP
import ArgumentParser
import Foundation
import VouchCore
import VouchCrypto
import VouchHolder
import VouchIssuer
import VouchQR

/// `vouch issue age|concession|identity`.
struct Issue: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue signed attestations (prints VCH1 text; --qr writes QR codes).",
        subcommands: [IssueAge.self, IssueConcession.self, IssueIdentity.self]
    )
}

extension IssuerOptions {
    /// The data directory's store, where each attestation is recorded with its status slot before it is printed.
    func openStore() throws -> LocalIssuance {
        try LocalIssuance.open(dataDirectory: data.url, publicURL: publicURL)
    }
}

/// Output options shared by the issue commands.
struct IssueOutputOptions: ParsableArguments {
    @Option(help: "Write a QR code: FILE.png, FILE.svg, or - to draw it in the terminal.")
    var qr: String?

    @Flag(help: "Print JSON instead of the VCH1 text.")
    var json = false

    /// Prints or writes the attestations.
    func emit(_ attestations: [IssuedAttestation]) throws {
        if let qr {
            for attestation in attestations {
                let target = Self.path(qr, for: attestation, batch: attestations.count > 1)
                try QROutput.write(text: attestation.text, to: target, format: nil, options: QRRenderOptions())
                if target != "-" { Console.error("wrote \(target)") }
            }
        }
        if json {
            let list: [[String: Any]] = attestations.map { a in
                var entry: [String: Any] = ["id": a.id, "token": a.text, "vct": a.claims.type.rawValue,
                                            "expires_at": JSONView.isoTime(a.claims.expiresAt)]
                if let over = a.ageOver { entry["age_over"] = over }
                return entry
            }
            print(Console.json(["attestations": list]))
        } else if qr != "-" {
            for attestation in attestations { print(attestation.text) }
        }
    }

    /// `code.png` becomes `code-18.png` when a batch writes several files.
    static func path(_ path: String, for attestation: IssuedAttestation, batch: Bool) -> String {
        guard batch, path != "-", let over = attestation.ageOver else { return path }
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        let base = url.deletingPathExtension().path
        return ext.isEmpty ? "\(base)-\(over)" : "\(base)-\(over).\(ext)"
    }
}

struct IssueAge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "age",
        abstract: "Issue age codes: one per threshold met, each saying only \"over NN\".",
        discussion: "The birth date is used to compute the thresholds and then forgotten; it is not stored or logged."
    )

    @OptionGroup var issuerOptions: IssuerOptions
    @Option(help: "Birth date, YYYY-MM-DD.") var birthDate: String
    @Option(help: "Threshold to issue (repeatable; default 16, 18, 21).") var threshold: [Int] = []
    @Option(help: "Validity in seconds (default and maximum 90 days).") var validFor: Int?
    @OptionGroup var wallet: IssueWalletOptions
    @OptionGroup var output: IssueOutputOptions

    func run() async throws {
        let issuer = try issuerOptions.makeIssuer()
        let store = try issuerOptions.openStore()
        do {
            let now = Date()
            let thresholds = threshold.isEmpty ? nil : threshold
            let validity = validFor.map(TimeInterval.init)
            let batch: [IssuedAttestation]
            if let directory = try wallet.open() {
                let met = try issuer.ageThresholdsMet(birthDate: birthDate, now: now, thresholds: thresholds)
                let keys = try HolderKeys.generate(count: met.count)
                let unlogged = try zip(met, keys).map { over, key in
                    try issuer.issueAge(over: over, now: now, validity: validity, holderKey: key.publicKey,
                                        status: { try store.reserve() })
                }
                batch = try await store.record(unlogged, kid: issuer.kid)
                try wallet.store(batch, keys: keys, in: directory)
            } else {
                batch = try await store.record(
                    try issuer.issueAge(birthDate: birthDate, now: now, thresholds: thresholds, validity: validity,
                                        status: { try store.reserve() }), kid: issuer.kid)
            }
            try output.emit(batch)
        } catch let error as IssuanceError where error.code == .notEligible {
            Console.error("vouch issue age: not issued: the holder is under every threshold asked for")
            throw ExitCode(1)
        } catch let error as IssuanceError {
            throw error.cliError
        }
    }
}

struct IssueConcession: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concession",
        abstract: "Issue a concession (status) code: student, senior, disability, veteran or large_family."
    )

    @OptionGroup var issuerOptions: IssuerOptions
    @Option(help: "The status code.") var concession: String
    @Option(help: "Last day of the entitlement, YYYY-MM-DD.") var validUntil: String
    @OptionGroup var wallet: IssueWalletOptions
    @OptionGroup var output: IssueOutputOptions

    func run() async throws {
        let issuer = try issuerOptions.makeIssuer()
        let store = try issuerOptions.openStore()
        do {
            let directory = try wallet.open()
            let key = directory == nil ? nil : try HolderKeys.generate()
            let attestation = try issuer.issueConcession(concession, validUntil: validUntil, now: Date(),
                                                         holderKey: key?.publicKey, status: { try store.reserve() })
            let logged = try await store.record([attestation], kid: issuer.kid)
            if let directory, let key { try wallet.store(logged, keys: [key], in: directory) }
            try output.emit(logged)
        } catch let error as IssuanceError {
            throw error.cliError
        }
    }
}

struct IssueIdentity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "Issue an identity code (name and birth date) for account opening and the like."
    )

    @OptionGroup var issuerOptions: IssuerOptions
    @Option(help: "Given name.") var givenName: String
    @Option(help: "Family name.") var familyName: String
    @Option(help: "Birth date, YYYY-MM-DD.") var birthDate: String
    @Option(help: "Nationality, ISO 3166-1 alpha-2 (optional).") var nationality: String?
    @Option(help: "Document number (optional).") var documentNumber: String?
    @Option(help: "Validity in seconds (default and maximum 1 year).") var validFor: Int?
    @OptionGroup var output: IssueOutputOptions

    func run() async throws {
        let issuer = try issuerOptions.makeIssuer()
        let store = try issuerOptions.openStore()
        let attributes = IdentityAttributes(givenName: givenName, familyName: familyName, birthDate: birthDate,
                                            nationality: nationality, documentNumber: documentNumber)
        do {
            let attestation = try issuer.issueIdentity(attributes, now: Date(), validity: validFor.map(TimeInterval.init),
                                                       status: { try store.reserve() })
            try output.emit(try await store.record([attestation], kid: issuer.kid))
        } catch let error as IssuanceError {
            throw error.cliError
        }
    }
}

/// `--wallet DIR`: bind each issued code to a fresh key of a local wallet directory and keep it there.
///
/// The local stand-in for redeeming an offer (which needs the HTTP service):
/// scripts and tests get holder-bound codes that `vouch wallet present` shows.
struct IssueWalletOptions: ParsableArguments {
    @Option(help: "Bind the codes to fresh keys of this wallet directory (created if missing) and store them there.")
    var wallet: String?

    func open() throws -> WalletDirectory? {
        guard let wallet else { return nil }
        do {
            return try WalletDirectory.openOrCreate(at: wallet)
        } catch {
            throw CLIError.input("--wallet: \(error)")
        }
    }

    func store(_ batch: [IssuedAttestation], keys: [PrivateKey], in directory: WalletDirectory) throws {
        do {
            try directory.add(codes: batch.map(\.text), keys: keys)
        } catch {
            throw CLIError.input("--wallet: \(error)")
        }
    }
}
