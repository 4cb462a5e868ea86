internal import VouchCore

extension LogEntry {
    /// The largest entry the decoder reads; real entries are under 200 bytes.
    public static let maximumEncodedSize = 512

    private static let limits = CBORLimits(maximumDepth: 2, maximumItems: 32)

    /// The deterministic CBOR map of format.md §5 (RFC 8949 §4.2.1).
    public func encoded() -> [UInt8] {
        var pairs: [CBOR.Pair] = [
            CBOR.Pair("event", .text(event.rawValue)),
            CBOR.Pair("time", .unsigned(time)),
            CBOR.Pair("kid", .bytes(kid)),
        ]
        switch details {
        case .attestation(let token, let type, let status, let subject):
            pairs.append(CBOR.Pair("token", .bytes(token)))
            pairs.append(CBOR.Pair("vct", .text(type.rawValue)))
            if let status {
                pairs.append(CBOR.Pair("status_list", .unsigned(status.list)))
                pairs.append(CBOR.Pair("status_idx", .unsigned(status.index)))
            }
            if let subject {
                pairs.append(CBOR.Pair("subject", .bytes(subject)))
            }
        case .key(let certificate):
            pairs.append(CBOR.Pair("cert", .bytes(certificate)))
        }
        return CBOR.map(pairs).encoded()
    }

    /// Decodes an entry strictly.
    ///
    /// Only the deterministic encoding is accepted (re-encoding must give the
    /// same bytes), so an entry's leaf hash cannot be changed by re-spelling it.
    ///
    /// - Throws: `LogError.malformedEntry` for bad CBOR, a non-deterministic
    ///   encoding, an unknown, missing or mistyped key, or keys that do not
    ///   belong to the event.
    public init(cbor bytes: [UInt8]) throws(LogError) {
        guard bytes.count <= Self.maximumEncodedSize else { throw Self.malformed("entry longer than 512 bytes") }
        let item: CBOR
        do {
            item = try CBORDecoder.decode(bytes, limits: Self.limits)
        } catch {
            throw Self.malformed("entry is not CBOR: \(error.code)")
        }
        guard case .map(let pairs) = item else { throw Self.malformed("entry must be a map") }

        var fields: [String: CBOR] = [:]
        for pair in pairs {
            guard case .text(let name) = pair.key, Self.allKeys.contains(name) else {
                throw Self.malformed("unknown key \(pair.key.diagnostic)")
            }
            fields[name] = pair.value
        }

        guard let eventName = fields["event"]?.textValue, let event = Event(rawValue: eventName) else {
            throw Self.malformed("event is missing or unknown")
        }
        guard let time = fields["time"]?.uint64 else { throw Self.malformed("time must be an unsigned integer") }
        guard let kid = fields["kid"]?.bytesValue else { throw Self.malformed("kid must be a byte string") }

        let details: Details
        if event.isKeyEvent {
            guard Set(fields.keys) == ["event", "time", "kid", "cert"] else {
                throw Self.malformed("a key event has exactly event, time, kid and cert")
            }
            guard let certificate = fields["cert"]?.bytesValue else { throw Self.malformed("cert must be a byte string") }
            details = .key(certificate: certificate)
        } else {
            guard !fields.keys.contains("cert") else { throw Self.malformed("cert belongs to key events") }
            guard let token = fields["token"]?.bytesValue else { throw Self.malformed("token must be a byte string") }
            guard let vct = fields["vct"]?.textValue else { throw Self.malformed("vct must be a text string") }
            let status: StatusSlot?
            switch (fields["status_list"], fields["status_idx"]) {
            case (nil, nil):
                status = nil
            case (.some(let list), .some(let index)):
                guard let list = list.uint64, let index = index.uint64 else {
                    throw Self.malformed("status_list and status_idx must be unsigned integers")
                }
                status = StatusSlot(list: list, index: index)
            default:
                throw Self.malformed("status_list and status_idx come together")
            }
            var subject: [UInt8]?
            if let value = fields["subject"] {
                guard let bytes = value.bytesValue else { throw Self.malformed("subject must be a byte string") }
                subject = bytes
            }
            details = .attestation(token: token, type: AttestationType(rawValue: vct), status: status, subject: subject)
        }
        try self.init(event: event, time: time, kid: kid, details: details)
        guard encoded() == bytes else { throw Self.malformed("entry is not in deterministic encoding") }
    }

    private static let allKeys: Set<String> = [
        "event", "time", "kid", "token", "vct", "status_list", "status_idx", "subject", "cert",
    ]
}
