extension LogicValue: CustomStringConvertible {
    /// Compact JSON with sorted keys, for error messages and logs.
    ///
    /// Integral numbers print without a fraction (`18`, not `18.0`).
    public var description: String {
        var output = ""
        write(to: &output, limit: .max)
        return output
    }

    /// The JSON text, cut to `limit` characters with "..." when longer.
    ///
    /// Writing stops soon after the limit, so a huge value costs little.
    func abbreviated(_ limit: Int = 60) -> String {
        var text = ""
        write(to: &text, limit: limit)
        return text.count <= limit ? text : text.prefix(limit) + "..."
    }

    private func write(to output: inout String, limit: Int) {
        guard output.utf8.count <= limit else { return }
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let value): output += Self.format(value)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let elements):
            output += "["
            for (position, element) in elements.enumerated() {
                guard output.utf8.count <= limit else { break }
                if position > 0 { output += "," }
                element.write(to: &output, limit: limit)
            }
            output += "]"
        case .object(let members):
            output += "{"
            let keys = members.keys.sorted()
            for (position, key) in keys.enumerated() {
                guard output.utf8.count <= limit else { break }
                if position > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                members[key]!.write(to: &output, limit: limit)
            }
            output += "}"
        }
    }

    static func format(_ number: Double) -> String {
        if number.rounded(.towardZero) == number, abs(number) < 9_007_199_254_740_992 {
            return String(Int64(number))
        }
        return number.description
    }

    private static func writeString(_ string: String, to output: inout String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
