import Foundation

/// Writes DER as a PEM block (RFC 7468): base64 in 64-character lines, `\n` endings.
enum PEM {
    static func encode(_ der: [UInt8], label: String) -> String {
        let base64 = Data(der).base64EncodedString()
        var text = "-----BEGIN \(label)-----\n"
        text.reserveCapacity(base64.count + base64.count / 64 + 2 * label.count + 40)
        var start = base64.startIndex
        while start < base64.endIndex {
            let end = base64.index(start, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
            text += base64[start..<end]
            text += "\n"
            start = end
        }
        text += "-----END \(label)-----\n"
        return text
    }
}
