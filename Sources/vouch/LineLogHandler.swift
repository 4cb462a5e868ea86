import VouchHTTP
import Foundation
import Logging
import VouchServer

/// Log lines on standard error: `2026-11-25T15:12:09Z info vouch: listening vouch.listen=127.0.0.1:8080`.
///
/// Metadata is rendered only when a line is written. swift-log's
/// StreamLogHandler renders its metadata string on every metadata change,
/// which the HTTP server makes on every request (its request id) even when
/// nothing is logged; under load that was about 2.5 % of the service's CPU.
/// Values with spaces, quotes or `=` are quoted so a line stays one record.
struct LineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var line = ISOTime.utc(UInt64(max(0, time(nil)))) + " \(event.level) \(label): \(event.message)"
        for key in merged.keys.sorted() {
            line += " \(key)=" + Self.quoted("\(merged[key]!)")
        }
        line += "\n"
        // One write(2) per line (atomic on a pipe up to 4 KiB), so lines from several threads do not
        // interleave; a closed standard error loses the line instead of stopping the service.
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written > 0 {
                bytes = bytes.dropFirst(written)
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }

    static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) else {
            return value
        }
        var out = "\""
        for character in value {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}
