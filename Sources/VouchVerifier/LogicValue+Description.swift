extension LogicValue: CustomStringConvertible {
    /// Compact JSON with sorted keys, for error messages and logs.
    ///
    /// Integral numbers print without a fraction (`18`, not `18.0`).
    public var description: String {
        String(decoding: jsonBytes(), as: UTF8.self)
    }

    /// The compact JSON text of ``description`` as UTF-8 bytes: what an HTTP response body needs, written
    /// straight into one byte array (runs of characters that need no escape are copied whole).
    public func jsonBytes() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(to: &output, limit: .max)
        return output
    }

    /// The JSON text, cut to `limit` characters with "..." when longer.
    ///
    /// Writing stops soon after the limit, so a huge value costs little.
    func abbreviated(_ limit: Int = 60) -> String {
        var bytes: [UInt8] = []
        write(to: &bytes, limit: limit)
        let text = String(decoding: bytes, as: UTF8.self)
        return text.count <= limit ? text : text.prefix(limit) + "..."
    }

    private func write(to output: inout [UInt8], limit: Int) {
        guard output.count <= limit else { return }
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value): output.append(contentsOf: Self.format(value).utf8)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                guard output.count <= limit else { break }
                if position > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output, limit: limit)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (position, (key, value)) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                guard output.count <= limit else { break }
                if position > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                value.write(to: &output, limit: limit)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    static func format(_ number: Double) -> String {
        if number.rounded(.towardZero) == number, abs(number) < 9_007_199_254_740_992 {
            return String(Int64(number))
        }
        return number.description
    }

    /// Writes `string` quoted. Works on UTF-8 bytes: every byte that needs an escape (quote, backslash, a
    /// control character) is ASCII, and the bytes of a multi-byte character are all 0x80 or above, so
    /// copying the unescaped runs whole keeps the text valid UTF-8.
    private static func writeString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch byte {
                case 0x22: output.append(contentsOf: "\\\"".utf8)
                case 0x5C: output.append(contentsOf: "\\\\".utf8)
                case 0x0A: output.append(contentsOf: "\\n".utf8)
                case 0x0D: output.append(contentsOf: "\\r".utf8)
                case 0x09: output.append(contentsOf: "\\t".utf8)
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    output.append(contentsOf: "\\u00".utf8)
                    output.append(hex[Int(byte >> 4)])
                    output.append(hex[Int(byte & 0x0F)])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }
}
