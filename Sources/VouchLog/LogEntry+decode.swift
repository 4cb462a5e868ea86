internal import VouchCore

extension LogEntry {
    /// The largest entry the decoder reads; real entries are under 200 bytes.
    public static let maximumEncodedSize = 512

    /// Decodes an entry strictly.
    ///
    /// Only the deterministic encoding is accepted, so an entry's leaf hash
    /// cannot be changed by re-spelling it: every integer and length in its
    /// shortest form, keys in the RFC 8949 §4.2.1 order, no key twice, no
    /// indefinite lengths, nothing after the map. The schema is fixed, so the
    /// bytes are read directly rather than through a general CBOR tree; this
    /// keeps `vouch log verify` close to hashing speed.
    ///
    /// - Throws: `LogError.malformedEntry` for bad or non-deterministic CBOR,
    ///   an unknown, missing, repeated or mistyped key, or keys that do not
    ///   belong to the event.
    public init(cbor bytes: [UInt8]) throws(LogError) {
        guard bytes.count <= Self.maximumEncodedSize else { throw Self.malformed("entry longer than 512 bytes") }
        var reader = EntryReader(bytes: bytes)
        let count = try reader.head(major: 5, "entry must be a map")
        guard (4...8).contains(count) else { throw Self.malformed("entry has \(count) keys") }

        var event: Event?, time: UInt64?, kid: [UInt8]?, token: [UInt8]?, vct: String?
        var statusList: UInt64?, statusIndex: UInt64?, subject: [UInt8]?, certificate: [UInt8]?
        var previous = -1
        for _ in 0..<count {
            let name = try reader.text("keys must be text")
            // Canonical order is fixed for this schema; ascending positions
            // also rule out repeated keys.
            guard let position = Self.keyBytes.firstIndex(where: { $0.elementsEqual(name) }) else {
                throw Self.malformed("unknown key")
            }
            guard position > previous else { throw Self.malformed("keys are not in deterministic order") }
            previous = position
            switch Self.keyOrder[position] {
            case "kid": kid = Array(try reader.bytes("kid must be a byte string"))
            case "vct":
                let raw = try reader.text("vct must be a text string")
                guard let type = AttestationType.known.first(where: { $0.rawValue.utf8.elementsEqual(raw) }) else {
                    throw Self.malformed("vct is not a known type")
                }
                vct = type.rawValue
            case "cert": certificate = Array(try reader.bytes("cert must be a byte string"))
            case "time": time = try reader.head(major: 0, "time must be an unsigned integer")
            case "event":
                let raw = try reader.text("event must be a text string")
                guard let known = Event.allCases.first(where: { $0.rawValue.utf8.elementsEqual(raw) }) else {
                    throw Self.malformed("event is unknown")
                }
                event = known
            case "token": token = Array(try reader.bytes("token must be a byte string"))
            case "subject": subject = Array(try reader.bytes("subject must be a byte string"))
            case "status_idx": statusIndex = try reader.head(major: 0, "status_idx must be an unsigned integer")
            default: statusList = try reader.head(major: 0, "status_list must be an unsigned integer")
            }
        }
        guard reader.atEnd else { throw Self.malformed("bytes after the entry") }

        guard let event else { throw Self.malformed("event is missing") }
        guard let time else { throw Self.malformed("time is missing") }
        guard let kid else { throw Self.malformed("kid is missing") }
        let details: Details
        if event.isKeyEvent {
            guard token == nil, vct == nil, statusList == nil, statusIndex == nil, subject == nil else {
                throw Self.malformed("a key event has exactly event, time, kid and cert")
            }
            guard let certificate else { throw Self.malformed("cert is missing") }
            details = .key(certificate: certificate)
        } else {
            guard certificate == nil else { throw Self.malformed("cert belongs to key events") }
            guard let token else { throw Self.malformed("token is missing") }
            guard let vct else { throw Self.malformed("vct is missing") }
            let status: StatusSlot?
            switch (statusList, statusIndex) {
            case (nil, nil): status = nil
            case (.some(let list), .some(let index)): status = StatusSlot(list: list, index: index)
            default: throw Self.malformed("status_list and status_idx come together")
            }
            details = .attestation(token: token, type: AttestationType(rawValue: vct), status: status, subject: subject)
        }
        try self.init(event: event, time: time, kid: kid, details: details)
    }

    /// Every key, in deterministic order (by length, then bytewise).
    private static let keyOrder = [
        "kid", "vct", "cert", "time", "event", "token", "subject", "status_idx", "status_list",
    ]
    private static let keyBytes = keyOrder.map { Array($0.utf8) }
}

/// Reads CBOR heads and strings, accepting only shortest-form arguments.
private struct EntryReader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { position == bytes.count }

    /// Reads a head of the given major type and returns its argument.
    mutating func head(major: UInt8, _ reason: String) throws(LogError) -> UInt64 {
        guard position < bytes.count, bytes[position] >> 5 == major else { throw LogEntry.malformed(reason) }
        let info = bytes[position] & 0x1f
        position += 1
        let width: Int
        switch info {
        case 0..<24: return UInt64(info)
        case 24: width = 1
        case 25: width = 2
        case 26: width = 4
        case 27: width = 8
        default: throw LogEntry.malformed("indefinite length or reserved CBOR head")
        }
        guard bytes.count - position >= width else { throw LogEntry.malformed("entry is truncated") }
        var value: UInt64 = 0
        for i in 0..<width {
            value = value << 8 | UInt64(bytes[position + i])
        }
        position += width
        // Shortest form: each width is used only for values the smaller one cannot hold.
        let minimum: UInt64 = width == 1 ? 24 : 1 << (4 * UInt64(width))
        guard value >= minimum else { throw LogEntry.malformed("integer or length not in shortest form") }
        return value
    }

    mutating func bytes(_ reason: String) throws(LogError) -> ArraySlice<UInt8> {
        try string(major: 2, reason)
    }

    /// A text string's bytes; callers compare them with known ASCII values,
    /// so no separate UTF-8 check is needed.
    mutating func text(_ reason: String) throws(LogError) -> ArraySlice<UInt8> {
        try string(major: 3, reason)
    }

    private mutating func string(major: UInt8, _ reason: String) throws(LogError) -> ArraySlice<UInt8> {
        let length = try head(major: major, reason)
        guard length <= UInt64(bytes.count - position) else { throw LogEntry.malformed("entry is truncated") }
        let start = position
        position += Int(length)
        return bytes[start..<position]
    }
}
