public import Foundation
import VouchCore
public import VouchCrypto

/// What a terminal syncs from its upstream: roots, issuer certificates,
/// policies and the status lists to fetch, as of one moment (`iat`).
///
/// Carried as the payload of a COSE_Sign1 (see ``SignedTrustBundle``):
///
/// ```
/// { "v": 1, "iat": uint, "iss": tstr,
///   "roots": [* bstr], "issuers": [* bstr],      ; certificate DER
///   "policies": [* tstr],                        ; Policies/*.json text
///   "status_lists": [* tstr],                    ; status list URIs
///   "receipt_keys": [* { "origin": tstr,         ; log receipt keys (format.md §7)
///                        "key": bstr }],         ;   SubjectPublicKeyInfo DER
///   "log_key": tstr,                             ; the log's note vkey ("" for none)
///   "witnesses": [* tstr],                       ; witness cosignature/v1 vkeys
///   "witness_quorum": uint }                     ; cosignatures a checkpoint needs
/// ```
///
/// Encoded by hand in deterministic CBOR (the bytes under the signature must
/// be exact); decoded strictly: unknown keys, a wrong version, duplicate or
/// unreadable policies and certificates are errors.
public struct TrustBundle: Sendable, Hashable {
    /// The only payload version this code reads and writes.
    public static let version: UInt64 = 1
    /// Most certificates, policies or status lists in one bundle.
    public static let maximumEntries = 1024

    /// When the upstream built the bundle; a terminal never believes a clock earlier than this.
    public var issuedAt: UInt64
    /// The upstream's name for itself (informational).
    public var issuer: String
    public var roots: [Certificate]
    public var issuers: [Certificate]
    /// Each policy as the JSON text of its `Policies/<id>.json` form.
    public var policies: [String]
    public var statusLists: [String]
    /// The log receipt keys terminals check codes' receipts against.
    public var receiptKeys: [ReceiptKey]
    /// The log's C2SP note verifier key (`GET /v1/log/key`), empty when not named.
    public var logKey: String = ""
    /// The witnesses' cosignature/v1 vkeys, and how many of them a checkpoint needs (C2SP tlog-cosignature).
    public var witnesses: [String] = []
    public var witnessQuorum: Int = 0

    public init(issuedAt: UInt64, issuer: String, roots: [Certificate], issuers: [Certificate], policies: [String],
                statusLists: [String] = [], receiptKeys: [ReceiptKey] = []) {
        self.issuedAt = issuedAt
        self.issuer = issuer
        self.roots = roots
        self.issuers = issuers
        self.policies = policies
        self.statusLists = statusLists
        self.receiptKeys = receiptKeys
    }

    /// A bundle of what a trust store and a policy store hold now.
    public init(issuedAt: UInt64, issuer: String, trust: TrustStore.Snapshot, policies: PolicyStore,
                statusLists: [String] = []) {
        self.init(issuedAt: issuedAt, issuer: issuer, roots: trust.roots, issuers: trust.issuers.map(\.certificate),
                  policies: policies.all.map(\.canonicalJSON), statusLists: statusLists,
                  receiptKeys: trust.receiptKeys)
    }

    /// `iat` as a date.
    public var issuedAtDate: Date { Date(timeIntervalSince1970: TimeInterval(issuedAt)) }

    // MARK: CBOR

    /// The deterministic CBOR payload.
    public func encoded() -> [UInt8] {
        CBOR.map([
            CBOR.Pair("v", .unsigned(Self.version)),
            CBOR.Pair("iat", .unsigned(issuedAt)),
            CBOR.Pair("iss", .text(issuer)),
            CBOR.Pair("roots", .array(roots.map { .bytes($0.derRepresentation) })),
            CBOR.Pair("issuers", .array(issuers.map { .bytes($0.derRepresentation) })),
            CBOR.Pair("policies", .array(policies.map { .text($0) })),
            CBOR.Pair("status_lists", .array(statusLists.map { .text($0) })),
            CBOR.Pair("receipt_keys", .array(receiptKeys.map { key in
                .map([CBOR.Pair("origin", .text(key.origin)), CBOR.Pair("key", .bytes(key.publicKey.spkiDER))])
            })),
            CBOR.Pair("log_key", .text(logKey)),
            CBOR.Pair("witnesses", .array(witnesses.map { .text($0) })),
            CBOR.Pair("witness_quorum", .unsigned(UInt64(witnessQuorum))),
        ]).encoded()
    }

    /// Decodes a payload strictly.
    ///
    /// - Throws: ``TrustBundleError`` `.malformed` for any deviation from the shape above.
    public init(cbor bytes: [UInt8]) throws(TrustBundleError) {
        let item: CBOR
        do {
            item = try CBORDecoder.decode(bytes, limits: SignedTrustBundle.limits)
        } catch {
            throw TrustBundleError(.malformed, "payload: \(error)")
        }
        guard case .map(let pairs) = item else { throw TrustBundleError(.malformed, "payload must be a map") }
        let known: Set<CBOR> = ["v", "iat", "iss", "roots", "issuers", "policies", "status_lists", "receipt_keys",
                                 "log_key", "witnesses", "witness_quorum"]
        if let unknown = pairs.first(where: { !known.contains($0.key) }) {
            throw TrustBundleError(.malformed, "unknown key \(unknown.key.diagnostic)")
        }
        guard item["v"]?.uint64 == Self.version else {
            throw TrustBundleError(.malformed, "version must be \(Self.version)")
        }
        guard let iat = item["iat"]?.uint64 else { throw TrustBundleError(.malformed, "iat must be an unsigned integer") }
        guard let iss = item["iss"]?.textValue else { throw TrustBundleError(.malformed, "iss must be text") }
        func list(_ key: String) throws(TrustBundleError) -> [CBOR] {
            guard let array = item[key]?.arrayValue, array.count <= Self.maximumEntries else {
                throw TrustBundleError(.malformed, "\(key) must be an array of at most \(Self.maximumEntries)")
            }
            return array
        }
        func certificates(_ key: String) throws(TrustBundleError) -> [Certificate] {
            var out: [Certificate] = []
            for entry in try list(key) {
                guard let der = entry.bytesValue else { throw TrustBundleError(.malformed, "\(key) holds a non-bstr") }
                do {
                    out.append(try Certificate(derRepresentation: der))
                } catch {
                    throw TrustBundleError(.malformed, "\(key): unreadable certificate")
                }
            }
            return out
        }
        func texts(_ key: String) throws(TrustBundleError) -> [String] {
            var out: [String] = []
            for entry in try list(key) {
                guard let text = entry.textValue else { throw TrustBundleError(.malformed, "\(key) holds a non-text") }
                out.append(text)
            }
            return out
        }
        var receiptKeys: [ReceiptKey] = []
        for entry in try list("receipt_keys") {
            guard let pairs = entry.mapValue, pairs.count == 2, let origin = entry["origin"]?.textValue,
                  let der = entry["key"]?.bytesValue
            else { throw TrustBundleError(.malformed, "receipt_keys holds an entry other than {origin, key}") }
            let key: PublicKey
            do {
                key = try PublicKey(spkiDER: der)
            } catch {
                throw TrustBundleError(.malformed, "receipt_keys: unreadable public key")
            }
            receiptKeys.append(try ReceiptKey(origin: origin, publicKey: key))
        }
        self.init(issuedAt: iat, issuer: iss, roots: try certificates("roots"), issuers: try certificates("issuers"),
                  policies: try texts("policies"), statusLists: try texts("status_lists"), receiptKeys: receiptKeys)
        guard let logKey = item["log_key"]?.textValue, logKey.utf8.count <= 512 else {
            throw TrustBundleError(.malformed, "log_key must be a text of at most 512 bytes")
        }
        let witnesses = try texts("witnesses")
        guard witnesses.count <= 64, witnesses.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 512 }),
              Set(witnesses).count == witnesses.count
        else { throw TrustBundleError(.malformed, "witnesses must be at most 64 distinct vkeys") }
        guard let quorum = item["witness_quorum"]?.uint64, quorum <= UInt64(witnesses.count),
              witnesses.isEmpty || (quorum >= 1 && !logKey.isEmpty)
        else { throw TrustBundleError(.malformed, "witness_quorum must be 1 to the number of witnesses, with a log_key") }
        self.logKey = logKey
        self.witnesses = witnesses
        self.witnessQuorum = Int(quorum)
    }

    // MARK: Use

    /// The policies, each checked as strictly as a file in `Policies/`.
    ///
    /// - Throws: ``TrustBundleError`` `.invalidPolicy` naming every problem.
    public func policyStore() throws(TrustBundleError) -> PolicyStore {
        var policies: [Policy] = []
        var problems: [String] = []
        for text in self.policies {
            let bytes = Array(text.utf8)
            // The id decides the file name the decoder checks it against.
            let id = (try? LogicValue(json: bytes)).flatMap { value -> String? in
                if case .object(let members) = value, case .string(let id)? = members["id"] { return id }
                return nil
            } ?? "unnamed"
            do {
                policies.append(try Policy(json: bytes, file: "bundle/\(id).json"))
            } catch {
                problems.append(error.description)
            }
        }
        guard problems.isEmpty else { throw TrustBundleError(.invalidPolicy, problems.joined(separator: "; ")) }
        do {
            return try PolicyStore(policies: policies)
        } catch {
            throw TrustBundleError(.invalidPolicy, error.description)
        }
    }
}

extension Policy {
    /// The policy as sorted-key JSON text: what a trust bundle carries.
    public var canonicalJSON: String {
        let data = (try? JSONSerialization.data(withJSONObject: jsonObject, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
