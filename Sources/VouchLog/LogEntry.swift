public import VouchCore
internal import VouchCrypto

/// One audit log entry (format.md §5).
///
/// Every field is an event name, a time, a key id, a 32-byte hash, a status
/// slot number or one of the known attestation types: there is no field a
/// name, a birth date or a document number could go into, and the strict
/// decoder rejects any other key. The encoding is deterministic CBOR, so an
/// entry has exactly one byte form and one leaf hash.
public struct LogEntry: Hashable, Sendable {
    /// What happened.
    public enum Event: String, Hashable, Sendable, CaseIterable {
        case issued
        case revoked
        case suspended
        case reinstated
        case keyAdded = "key_added"
        case keyRetired = "key_retired"

        /// Whether the event concerns an issuer key rather than an attestation.
        public var isKeyEvent: Bool { self == .keyAdded || self == .keyRetired }
    }

    /// A Token Status List slot: which list and which index in it.
    public struct StatusSlot: Hashable, Sendable {
        public var list: UInt64
        public var index: UInt64

        public init(list: UInt64, index: UInt64) {
            self.list = list
            self.index = index
        }
    }

    /// The event-specific fields.
    public enum Details: Hashable, Sendable {
        /// An attestation event: SHA-256 of the COSE_Sign1 bytes, its `vct`,
        /// its status slot if it has one, and the subject pseudonym if the
        /// caller gave a subject reference.
        case attestation(token: [UInt8], type: AttestationType, status: StatusSlot?, subject: [UInt8]?)
        /// A key event: SHA-256 of the certificate DER.
        case key(certificate: [UInt8])
    }

    /// The length of a key id (format.md §1: the first 8 bytes of the
    /// certificate's SHA-256).
    public static let kidLength = 8

    public let event: Event
    /// Seconds since the Unix epoch.
    public let time: UInt64
    /// The issuer key concerned.
    public let kid: [UInt8]
    public let details: Details

    /// Creates an entry for an attestation event.
    ///
    /// - Parameters:
    ///   - event: `.issued`, `.revoked`, `.suspended` or `.reinstated`.
    ///   - time: Seconds since the Unix epoch.
    ///   - kid: The 8-byte key id that signed the attestation.
    ///   - token: SHA-256 of the attestation's COSE_Sign1 bytes.
    ///   - type: The attestation's `vct`, one of ``AttestationType/known``.
    ///   - status: Its status list slot, if it has one.
    ///   - subject: ``subjectPseudonym(secret:reference:)`` of the caller's
    ///     subject reference, if one was given.
    /// - Throws: `LogError.malformedEntry` for a key event, wrong lengths or
    ///   an unknown type.
    public static func attestation(
        _ event: Event, time: UInt64, kid: [UInt8], token: [UInt8], type: AttestationType,
        status: StatusSlot? = nil, subject: [UInt8]? = nil
    ) throws(LogError) -> LogEntry {
        try LogEntry(event: event, time: time, kid: kid,
                     details: .attestation(token: token, type: type, status: status, subject: subject))
    }

    /// Creates an entry for a key event.
    ///
    /// - Parameters:
    ///   - event: `.keyAdded` or `.keyRetired`.
    ///   - time: Seconds since the Unix epoch.
    ///   - kid: The key's 8-byte key id.
    ///   - certificate: SHA-256 of the key's certificate DER.
    /// - Throws: `LogError.malformedEntry` for an attestation event or wrong lengths.
    public static func key(
        _ event: Event, time: UInt64, kid: [UInt8], certificate: [UInt8]
    ) throws(LogError) -> LogEntry {
        try LogEntry(event: event, time: time, kid: kid, details: .key(certificate: certificate))
    }

    /// Creates an entry, checking that the details fit the event.
    ///
    /// - Throws: `LogError.malformedEntry` naming the field that is wrong.
    public init(event: Event, time: UInt64, kid: [UInt8], details: Details) throws(LogError) {
        guard kid.count == Self.kidLength else { throw Self.malformed("kid must be 8 bytes") }
        switch details {
        case .attestation(let token, let type, _, let subject):
            guard !event.isKeyEvent else { throw Self.malformed("\(event.rawValue) is a key event") }
            guard token.count == 32 else { throw Self.malformed("token must be 32 bytes") }
            guard AttestationType.known.contains(type) else { throw Self.malformed("vct is not a known type") }
            guard subject.map({ $0.count == 32 }) ?? true else { throw Self.malformed("subject must be 32 bytes") }
        case .key(let certificate):
            guard event.isKeyEvent else { throw Self.malformed("\(event.rawValue) is an attestation event") }
            guard certificate.count == 32 else { throw Self.malformed("cert must be 32 bytes") }
        }
        self.event = event
        self.time = time
        self.kid = kid
        self.details = details
    }

    /// The entry's Merkle leaf hash, `SHA-256(0x00 || encoded())`.
    public var leafHash: [UInt8] { MerkleHash.leaf(encoded()) }

    /// The pseudonym stored as `subject`: HMAC-SHA-256(secret, reference).
    ///
    /// It lets the operator find "everything issued for X" from X, without the
    /// log ever holding X. The secret never leaves the server; without it the
    /// pseudonym cannot be tested against guesses.
    ///
    /// - Parameters:
    ///   - secret: The server's subject secret, at least 16 random bytes (32 recommended).
    ///   - reference: The caller's subject reference, as UTF-8.
    /// - Returns: 32 bytes.
    /// - Throws: `LogError.invalidKey` for a secret shorter than 16 bytes.
    public static func subjectPseudonym(secret: [UInt8], reference: String) throws(LogError) -> [UInt8] {
        guard secret.count >= 16 else { throw LogError(.invalidKey, "subject secret must be at least 16 bytes") }
        return Digest.hmacSHA256(key: secret, message: Array(reference.utf8))
    }

    static func malformed(_ reason: String) -> LogError {
        LogError(.malformedEntry, reason)
    }
}

// MARK: - Field access

extension LogEntry {
    /// SHA-256 of the attestation, for attestation events.
    public var token: [UInt8]? {
        if case .attestation(let token, _, _, _) = details { return token }
        return nil
    }

    /// The attestation's `vct`, for attestation events.
    public var type: AttestationType? {
        if case .attestation(_, let type, _, _) = details { return type }
        return nil
    }

    /// The status list slot, for attestation events that have one.
    public var status: StatusSlot? {
        if case .attestation(_, _, let status, _) = details { return status }
        return nil
    }

    /// The subject pseudonym, for attestation events that have one.
    public var subject: [UInt8]? {
        if case .attestation(_, _, _, let subject) = details { return subject }
        return nil
    }

    /// SHA-256 of the certificate DER, for key events.
    public var certificate: [UInt8]? {
        if case .key(let certificate) = details { return certificate }
        return nil
    }
}
