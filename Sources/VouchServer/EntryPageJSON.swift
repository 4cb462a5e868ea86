import Foundation
import VouchCore
import VouchLog
import VouchStore

/// The JSON of `GET /v1/log/entries`, written directly into a byte buffer.
///
/// Every value is an integer, an event or type name, or hex or base64 text,
/// so the output needs no general encoder; keys are in sorted order, as
/// ``JSON/encode(_:)`` writes them elsewhere. For each entry: `index`,
/// `entry` (base64 of the CBOR), `leaf_hash` (hex, as stored), and the
/// decoded fields, or `malformed: true` if the entry does not parse.
struct EntryPageJSON {
    private(set) var bytes: [UInt8] = []

    mutating func page(treeSize: Int, start: Int, end: Int, entries: [StoredLogEntry]) {
        bytes.reserveCapacity(128 + entries.count * 480)
        append(#"{"end":\#(end),"entries":["#)
        for (position, stored) in entries.enumerated() {
            if position > 0 { append(",") }
            entry(stored)
        }
        append(#"],"start":\#(start),"tree_size":\#(treeSize)}"#)
    }

    private mutating func entry(_ stored: StoredLogEntry) {
        let decoded = try? LogEntry(cbor: stored.entry)
        append("{")
        if let certificate = decoded?.certificate { field("cert", hex: certificate) }
        field("entry", string: Data(stored.entry).base64EncodedString())
        if let decoded { field("event", string: decoded.event.rawValue) }
        field("index", number: String(stored.index))
        if let decoded { field("kid", hex: decoded.kid) }
        field("leaf_hash", hex: stored.leafHash)
        if decoded == nil { field("malformed", number: "true") }
        if let status = decoded?.status {
            field("status_idx", number: String(status.index))
            field("status_list", number: String(status.list))
        }
        if let subject = decoded?.subject { field("subject", hex: subject) }
        if let decoded { field("time", number: String(decoded.time)) }
        if let token = decoded?.token { field("token", hex: token) }
        if let type = decoded?.type { field("vct", string: type.rawValue) }
        bytes.removeLast()  // the comma after the last field
        append("}")
    }

    private mutating func field(_ key: String, number: String) {
        append("\"\(key)\":\(number),")
    }

    private mutating func field(_ key: String, hex: [UInt8]) {
        append("\"\(key)\":\"\(hex.hexString)\",")
    }

    /// A string value; names and base64 need no escaping, but anything else is escaped anyway.
    private mutating func field(_ key: String, string: String) {
        append("\"\(key)\":\"")
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes += [UInt8(ascii: "\\"), byte]
            case 0..<0x20:
                append(String(format: "\\u%04x", byte))
            default:
                bytes.append(byte)
            }
        }
        append("\",")
    }

    private mutating func append(_ text: String) {
        bytes += text.utf8
    }
}
