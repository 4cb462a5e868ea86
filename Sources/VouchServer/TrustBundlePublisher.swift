public import Foundation
import Synchronization
import VouchCore
public import VouchCrypto
public import VouchVerifier

/// The issuer side of trust sync: the signed trust bundle that
/// `GET /v1/trust?format=cose` serves, with an ETag terminals send back.
///
/// The bundle is signed once and reused while its content is unchanged, so
/// a terminal's `If-None-Match` gets a 304; it is re-signed when the trust
/// store or policies change, and at least every ``refreshInterval`` so that
/// its `iat` (a terminal's clock floor) keeps up with time.
public final class TrustBundlePublisher: Sendable {
    /// The current signed bundle and what it was built from.
    public struct Published: Sendable {
        public let signed: SignedTrustBundle
        /// A strong ETag over the signed bytes, quoted.
        public let etag: String
        /// The payload without `iat`: equal content means no re-signing.
        let content: [UInt8]
    }

    public let refreshInterval: TimeInterval
    private let key: PrivateKey
    private let certificate: Certificate
    private let chain: [Certificate]
    private let issuer: String
    private let statusLists: @Sendable () -> [String]
    private let witnessing: (logKey: String, witnesses: [String], quorum: Int)
    private let cache = Mutex<Published?>(nil)

    /// - Parameters:
    ///   - key: the issuer signing key; `certificate` is its certificate, `chain` any intermediates.
    ///   - issuer: the `iss` of the bundle (the service's issuer name).
    ///   - statusLists: the status list URIs terminals should fetch.
    ///   - witnessing: the log's note vkey, its witnesses' vkeys and their quorum, which terminals require of
    ///     the cosigned checkpoint (no witnesses: terminals check none).
    public init(key: PrivateKey, certificate: Certificate, chain: [Certificate] = [], issuer: String,
                refreshInterval: TimeInterval = 3600, statusLists: @escaping @Sendable () -> [String] = { [] },
                witnessing: (logKey: String, witnesses: [String], quorum: Int) = ("", [], 0)) {
        self.witnessing = witnessing
        self.key = key
        self.certificate = certificate
        self.chain = chain
        self.issuer = issuer
        self.refreshInterval = refreshInterval
        self.statusLists = statusLists
    }

    /// The bundle for the current trust store and policies, signed at most
    /// ``refreshInterval`` ago.
    ///
    /// - Throws: `CryptoError` when signing fails.
    public func current(trust: TrustStore.Snapshot, policies: PolicyStore, now: Date = Date()) throws -> Published {
        var bundle = TrustBundle(issuedAt: 0, issuer: issuer, trust: trust, policies: policies,
                                 statusLists: statusLists())
        bundle.logKey = witnessing.logKey
        bundle.witnesses = witnessing.witnesses
        bundle.witnessQuorum = witnessing.quorum
        let content = bundle.encoded()
        return try cache.withLock { cached in
            if let cached, cached.content == content,
               now.timeIntervalSince(cached.signed.bundle.issuedAtDate) < refreshInterval,
               now >= cached.signed.bundle.issuedAtDate {
                return cached
            }
            // iat never goes backwards, even if this clock does.
            let previous = cached?.signed.bundle.issuedAt ?? 0
            bundle.issuedAt = max(previous, UInt64(max(0, now.timeIntervalSince1970.rounded(.down))))
            let signed = try SignedTrustBundle.sign(bundle, key: key, certificate: certificate, chain: chain)
            let etag = "\"" + Array(Digest.sha256(signed.bytes).prefix(16)).hexString + "\""
            let published = Published(signed: signed, etag: etag, content: content)
            cached = published
            return published
        }
    }

    /// Whether an `If-None-Match` header value matches `etag` (RFC 9110 §13.1.2, weak comparison).
    public static func matches(ifNoneMatch header: String?, etag: String) -> Bool {
        guard let header else { return false }
        let bare = { (tag: Substring) -> Substring in
            let trimmed = tag.drop(while: { $0 == " " })
            return trimmed.hasPrefix("W/") ? trimmed.dropFirst(2) : trimmed
        }
        return header.split(separator: ",").contains { tag in
            let tag = bare(tag).trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == etag
        }
    }
}
