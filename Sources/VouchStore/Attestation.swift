public import Foundation
public import VouchCore
internal import VouchCrypto
internal import VouchLog

/// The revocation state of an attestation, mirrored in its status list slot.
public enum AttestationState: String, Sendable, Hashable, CaseIterable {
    /// Status value 0.
    case valid
    /// Status value 1 (invalid); final.
    case revoked
    /// Status value 2; can be reinstated.
    case suspended

    /// The Token Status List value (format.md §4).
    public var statusValue: UInt8 {
        switch self {
        case .valid: 0
        case .revoked: 1
        case .suspended: 2
        }
    }
}

/// A slot in a status list (format.md §4).
public struct StatusSlot: Sendable, Hashable {
    /// The list number.
    public var list: Int
    /// The index inside the list.
    public var index: Int

    public init(list: Int, index: Int) {
        self.list = list
        self.index = index
    }
}

/// An attestation the issuer has signed and wants recorded and logged.
///
/// It carries only what the audit log and revocation need: hashes, the key id,
/// the type and times. The token itself and every claim value stay with the
/// caller; `subject` is already the caller's HMAC pseudonym.
public struct PendingAttestation: Sendable, Hashable {
    /// The 16-byte `cti` claim; its hex form is the attestation id.
    public var cti: [UInt8]
    /// The issuer key id (`kid`) that signed it.
    public var kid: [UInt8]
    /// `age`, `concession` or `identity`.
    public var vct: AttestationType
    /// SHA-256 of the COSE_Sign1 bytes.
    public var tokenHash: [UInt8]
    /// The `iat` claim as signed (possibly rounded down to the hour).
    public var issuedAt: Date
    /// The `exp` claim.
    public var expiresAt: Date
    /// The status slot, if the attestation has one.
    public var statusSlot: StatusSlot?
    /// HMAC-SHA-256(server secret, subject reference), 32 bytes, if the caller gave one.
    public var subject: [UInt8]?

    /// Creates a record from the parts of a signed attestation.
    ///
    /// - Parameters:
    ///   - cti: 16 bytes.
    ///   - kid: The signing key's id, 8 bytes (format.md §1).
    ///   - vct: One of `AttestationType.known`.
    ///   - tokenHash: 32 bytes; see ``tokenHash(of:)``.
    ///   - issuedAt: `iat`; whole seconds are stored.
    ///   - expiresAt: `exp`; must be after `issuedAt`.
    ///   - statusSlot: The allocated slot, or `nil`.
    ///   - subject: A 32-byte pseudonym, or `nil`.
    public init(cti: [UInt8], kid: [UInt8], vct: AttestationType, tokenHash: [UInt8], issuedAt: Date, expiresAt: Date,
                statusSlot: StatusSlot? = nil, subject: [UInt8]? = nil) {
        self.cti = cti
        self.kid = kid
        self.vct = vct
        self.tokenHash = tokenHash
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.statusSlot = statusSlot
        self.subject = subject
    }

    /// The attestation id: lower-case hex of the `cti`.
    public var id: String { Hex.encode(cti) }

    /// The hash the store and the log keep in place of a token.
    ///
    /// - Parameter coseSign1: The COSE_Sign1 bytes (tagged or not, as the issuer signs them).
    public static func tokenHash(of coseSign1: [UInt8]) -> [UInt8] {
        Digest.sha256(coseSign1)
    }

    /// Checks lengths and ranges; uniqueness is checked by the writer against the store.
    func validate() throws {
        func fail(_ reason: String) -> StoreError { StoreError(code: .invalidInput, reason: reason) }
        guard cti.count == 16 else { throw fail("cti must be 16 bytes, got \(cti.count)") }
        guard kid.count == LogEntry.kidLength else { throw fail("kid must be \(LogEntry.kidLength) bytes") }
        guard AttestationType.known.contains(vct) else { throw fail("vct is not a known attestation type") }
        guard tokenHash.count == 32 else { throw fail("token hash must be 32 bytes") }
        guard issuedAt.timeIntervalSince1970 >= 0, expiresAt > issuedAt else {
            throw fail("expiry must follow issuance")
        }
        if let statusSlot, statusSlot.list < 0 || statusSlot.index < 0 {
            throw fail("status list and index must be non-negative")
        }
        if let subject, subject.count != 32 { throw fail("subject must be a 32-byte pseudonym") }
    }
}

/// What ``IssuanceWriter/commit(_:)`` returns once the attestation is durable.
public struct CommittedAttestation: Sendable, Hashable {
    /// The attestation id (hex of the cti).
    public let id: String
    /// The index of its `issued` entry in the audit log.
    public let logIndex: Int
    /// The log's signed receipt for the entry, for the code's unprotected header (format.md §7).
    public let receipt: LogReceipt
    /// The size of the first checkpoint that covers the entry (for inclusion proofs).
    public let treeSize: Int
}

/// An attestation as stored.
public struct AttestationRecord: Sendable, Hashable, Identifiable {
    /// Hex of the cti.
    public let id: String
    /// The signing key's id.
    public let kid: [UInt8]
    /// The attestation type.
    public let vct: AttestationType
    /// SHA-256 of the COSE_Sign1 bytes.
    public let tokenHash: [UInt8]
    /// `iat`, whole seconds.
    public let issuedAt: Date
    /// `exp`, whole seconds.
    public let expiresAt: Date
    /// Its status list slot, if it has one.
    public let statusSlot: StatusSlot?
    /// The caller's subject pseudonym, if one was given.
    public let subject: [UInt8]?
    /// Its current revocation state.
    public let state: AttestationState
    /// The index of its `issued` log entry.
    public let logIndex: Int?
}

/// The outcome of ``IssuanceWriter/revoke(id:)`` and its siblings.
public struct StateChange: Sendable, Hashable {
    /// The attestation id.
    public let id: String
    /// The state before the call.
    public let previous: AttestationState
    /// The state now.
    public let state: AttestationState
    /// The slot whose bits the status list must now show, if any.
    public let statusSlot: StatusSlot?
    /// The log entry recording the change; `nil` when the attestation was
    /// already in the requested state (the call is idempotent).
    public let logIndex: Int?
    /// The tree size covering the entry, or the current size when unchanged.
    public let treeSize: Int
}

/// An issuer key event for the audit log.
public struct KeyEvent: Sendable, Hashable {
    /// Whether the key entered or left service.
    public enum Kind: String, Sendable, Hashable {
        case added = "key_added"
        case retired = "key_retired"
    }

    /// Added or retired.
    public var kind: Kind
    /// The key id concerned.
    public var kid: [UInt8]
    /// SHA-256 of the certificate DER, 32 bytes.
    public var certificateHash: [UInt8]
    /// When it happened.
    public var time: Date

    public init(kind: Kind, kid: [UInt8], certificateHash: [UInt8], time: Date) {
        self.kind = kind
        self.kid = kid
        self.certificateHash = certificateHash
        self.time = time
    }
}

/// Where an entry landed in the log.
public struct LogPosition: Sendable, Hashable {
    /// The entry's index.
    public let index: Int
    /// The size of the checkpoint covering it.
    public let treeSize: Int
}
