internal import VouchCore

extension LogEntry {
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
}
