internal import Foundation
internal import VouchCore
internal import VouchLog

/// Builds the audit log entries (format.md §5) for the writer's operations.
///
/// Entries come from ``LogEntry`` only, whose fields cannot hold a personal
/// attribute; a `LogError` here means the caller's data was malformed and
/// rejects that operation alone.
enum LogEntryCodec {
    /// The `issued` entry. Its time is the signed `iat`, not the commit time:
    /// `iat` may be rounded to the hour to reduce linkability, and a precise
    /// time in the public log would undo that for anyone holding the token.
    static func issued(_ item: PendingAttestation) throws -> [UInt8] {
        try encode {
            try LogEntry.attestation(
                .issued, time: UInt64(item.issuedAt.unixSeconds), kid: item.kid, token: item.tokenHash,
                type: item.vct, status: item.statusSlot.map(slot), subject: item.subject)
        }
    }

    /// The `revoked`, `suspended` or `reinstated` entry for a state change.
    static func transition(_ record: AttestationRecord, to state: AttestationState, time: Date) throws -> [UInt8] {
        let event: LogEntry.Event
        switch state {
        case .revoked: event = .revoked
        case .suspended: event = .suspended
        case .valid: event = .reinstated
        }
        return try encode {
            try LogEntry.attestation(
                event, time: UInt64(max(0, time.unixSeconds)), kid: record.kid, token: record.tokenHash,
                type: record.vct, status: record.statusSlot.map(slot))
        }
    }

    /// The `key_added` or `key_retired` entry.
    static func key(_ event: KeyEvent) throws -> [UInt8] {
        try encode {
            try LogEntry.key(
                event.kind == .added ? .keyAdded : .keyRetired, time: UInt64(max(0, event.time.unixSeconds)),
                kid: event.kid, certificate: event.certificateHash)
        }
    }

    private static func slot(_ slot: StatusSlot) -> LogEntry.StatusSlot {
        LogEntry.StatusSlot(list: UInt64(slot.list), index: UInt64(slot.index))
    }

    private static func encode(_ make: () throws -> LogEntry) throws -> [UInt8] {
        do {
            return try make().encoded()
        } catch let error as LogError {
            throw StoreError(code: .invalidInput, reason: "log entry: \(error.reason)")
        }
    }
}
