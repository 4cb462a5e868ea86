public import Foundation
import Synchronization
import VouchCore
public import VouchCrypto

/// The issuer certificates and roots a verifier trusts, reloadable at run time.
///
/// Chains are checked with OpenSSL (`X509_verify_cert`) when the store is
/// loaded, not per scan: a signature chain does not change with time, so
/// what remains per scan is comparing `iat` with the interval in which every
/// certificate of the chain is valid. Public keys are parsed once. A reload
/// builds a new snapshot and swaps it in under a lock: readers see the old
/// store or the new one, never half of one.
public final class TrustStore: Sendable {
    /// One issuer certificate as the verifier uses it.
    public struct Issuer: Sendable, Hashable {
        public let certificate: Certificate
        /// Lowercase hex SHA-256 of the certificate DER (what `issuers` in a policy lists).
        public let fingerprint: String
        /// `nil` when the certificate does not chain to a trusted root.
        public let trustedInterval: ClosedRange<Date>?
        /// Why the chain failed, when it did.
        public let problem: String?
    }

    /// An immutable view of the store.
    public struct Snapshot: Sendable {
        public let roots: [Certificate]
        public let issuers: [Issuer]
        /// The log receipt keys codes are checked against (format.md §7).
        public let receiptKeys: [ReceiptKey]
        public let loadedAt: Date
        let byKid: [[UInt8]: [Issuer]]

        /// The issuer certificates whose kid matches (usually one).
        public func issuers(kid: [UInt8]) -> [Issuer] { byKid[kid] ?? [] }
    }

    /// Where certificates are read from.
    public struct Sources: Sendable, Hashable {
        /// Files or directories of trust anchors.
        public var roots: [URL]
        /// Files or directories of issuer signing certificates.
        public var issuers: [URL]
        /// Files or directories of log receipt keys (``ReceiptKey`` file form).
        public var receipts: [URL]

        public init(roots: [URL], issuers: [URL], receipts: [URL] = []) {
            self.roots = roots
            self.issuers = issuers
            self.receipts = receipts
        }

        /// `DIR/roots` and `DIR/issuers` of a `Certs/` style directory, plus
        /// a data directory's development root and issuer when they exist.
        public static func standard(certs: URL?, dataDirectory: URL?) -> Sources {
            var sources = Sources(roots: [], issuers: [])
            if let certs {
                sources.roots.append(certs.appendingPathComponent("roots"))
                sources.issuers.append(certs.appendingPathComponent("issuers"))
                sources.receipts.append(certs.appendingPathComponent("receipts"))
            }
            if let dataDirectory {
                sources.roots.append(dataDirectory.appendingPathComponent("certs/root-ca.pem"))
                sources.issuers.append(dataDirectory.appendingPathComponent("certs/issuer.pem"))
                sources.receipts.append(dataDirectory.appendingPathComponent("certs/receipt.pem"))
            }
            return sources
        }
    }

    private let state: Mutex<Snapshot>
    public let sources: Sources

    /// Loads a store from files.
    ///
    /// - Throws: `CryptoError` for a file that exists but holds no readable certificate.
    public convenience init(sources: Sources) throws {
        try self.init(snapshot: Self.load(sources), sources: sources)
    }

    /// A store from certificates in memory.
    public convenience init(roots: [Certificate], issuers: [Certificate], receiptKeys: [ReceiptKey] = []) {
        self.init(snapshot: Self.build(roots: roots, issuers: issuers, receiptKeys: receiptKeys),
                  sources: Sources(roots: [], issuers: []))
    }

    private init(snapshot: Snapshot, sources: Sources) {
        self.state = Mutex(snapshot)
        self.sources = sources
    }

    /// The current snapshot.
    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Re-reads the sources and swaps the new snapshot in; on error the old one stays.
    public func reload() throws {
        let fresh = try Self.load(sources)
        state.withLock { $0 = fresh }
    }

    /// Replaces the contents (a terminal applying a synced bundle).
    public func replace(roots: [Certificate], issuers: [Certificate], receiptKeys: [ReceiptKey]) {
        let fresh = Self.build(roots: roots, issuers: issuers, receiptKeys: receiptKeys)
        state.withLock { $0 = fresh }
    }

    static func load(_ sources: Sources) throws -> Snapshot {
        build(roots: try readAll(sources.roots), issuers: try readAll(sources.issuers),
              receiptKeys: try ReceiptKey.readAll(sources.receipts))
    }

    /// Reads certificates from files and directories (`.pem`, `.crt`, `.cer`, `.der`); missing paths are skipped.
    static func readAll(_ urls: [URL]) throws -> [Certificate] {
        let fm = FileManager.default
        var result: [Certificate] = []
        for url in urls {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            let files: [URL]
            if isDirectory.boolValue {
                files = try fm.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
                    .filter { ["pem", "crt", "cer", "der"].contains($0.pathExtension.lowercased()) }
                    .sorted { $0.path < $1.path }
            } else {
                files = [url]
            }
            for file in files { result += try Certificate.load(fromFile: file.path) }
        }
        return result
    }

    static func build(roots: [Certificate], issuers: [Certificate], receiptKeys: [ReceiptKey]) -> Snapshot {
        let verifier = ChainVerifier(roots: roots)
        var seen = Set<[UInt8]>()
        var entries: [Issuer] = []
        for certificate in issuers where seen.insert(certificate.derRepresentation).inserted {
            entries.append(check(certificate, roots: roots, verifier: verifier))
        }
        return Snapshot(roots: roots, issuers: entries, receiptKeys: receiptKeys, loadedAt: Date(),
                        byKid: Dictionary(grouping: entries, by: { $0.certificate.kid }))
    }

    /// Verifies the chain once, at a time inside the leaf's and its root's validity.
    static func check(_ certificate: Certificate, roots: [Certificate], verifier: ChainVerifier) -> Issuer {
        let fingerprint = certificate.sha256Fingerprint.hexString
        let parents = roots.filter { $0.subject == certificate.issuer }
        for root in parents {
            let from = max(certificate.notValidBefore, root.notValidBefore)
            let until = min(certificate.notValidAfter, root.notValidAfter)
            guard from <= until else { continue }
            let probe = from.addingTimeInterval(until.timeIntervalSince(from) / 2)
            if case .valid = verifier.verify(certificate, at: probe) {
                return Issuer(certificate: certificate, fingerprint: fingerprint, trustedInterval: from...until,
                              problem: nil)
            }
        }
        let problem: String
        switch verifier.verify(certificate, at: certificate.notValidBefore.addingTimeInterval(1)) {
        case .valid: problem = "no validity period shared with its root"
        case .invalid(let reason): problem = reason
        }
        return Issuer(certificate: certificate, fingerprint: fingerprint, trustedInterval: nil, problem: problem)
    }
}
