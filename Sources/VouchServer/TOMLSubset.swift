/// The part of TOML 1.0 a Vouch configuration file uses: top-level
/// `key = value` lines with strings, integers, floats and booleans, and
/// comments.
///
/// Strict: everything else TOML allows — tables, dotted keys, arrays, inline tables, multi-line strings, dates — is refused with an error
/// naming the line, never skipped, and so are duplicate keys, invalid UTF-8,
/// bad escapes and numbers TOML does not allow (leading zeros, stray
/// underscores, 64-bit overflow). What it accepts, Python's `tomllib` reads
/// to the same values (tested).
public enum TOMLSubset {
    public enum Value: Equatable, Sendable, CustomStringConvertible {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)

        public var description: String {
            switch self {
            case .string(let s): return s
            case .integer(let i): return String(i)
            case .float(let d): return d.description
            case .boolean(let b): return b ? "true" : "false"
            }
        }

        /// "a string", "an integer", ... for error messages.
        public var kindName: String {
            switch self {
            case .string: return "a string"
            case .integer: return "an integer"
            case .float: return "a float"
            case .boolean: return "a boolean"
            }
        }
    }

    public struct Entry: Equatable, Sendable {
        public let key: String
        public let value: Value
        /// 1-based line of the key.
        public let line: Int
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        /// 1-based line of the problem.
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Largest document read.
    public static let maximumSize = 64 * 1024

    /// Parses `bytes`, keeping the keys in file order.
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> [Entry] {
        guard bytes.count <= maximumSize else {
            throw ParseError(line: 1, message: "the file is \(bytes.count) bytes; at most \(maximumSize) are read")
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ParseError(line: 1, message: "the file is not valid UTF-8")
        }
        var parser = Parser(bytes: bytes)
        return try parser.document()
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var line = 1

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        func fail(_ message: String) -> ParseError { ParseError(line: line, message: message) }

        mutating func document() throws(ParseError) -> [Entry] {
            var entries: [Entry] = []
            var seen: [String: Int] = [:]
            while index < bytes.count {
                skipSpaces()
                guard let byte = current else { break }
                switch byte {
                case UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    try endOfLine()
                case UInt8(ascii: "["):
                    throw fail("tables ([...]) are not used in a Vouch configuration: write key = value lines only")
                default:
                    let keyLine = line
                    let key = try keyName()
                    skipSpaces()
                    guard current == UInt8(ascii: "=") else {
                        if current == UInt8(ascii: ".") { throw fail("dotted keys are not used in a Vouch configuration") }
                        throw fail("expected \"=\" after the key \"\(key)\"")
                    }
                    index += 1
                    skipSpaces()
                    let value = try self.value()
                    skipSpaces()
                    try endOfLine()
                    if let first = seen[key] { throw ParseError(line: keyLine, message: "\"\(key)\" is already set on line \(first)") }
                    seen[key] = keyLine
                    entries.append(Entry(key: key, value: value, line: keyLine))
                }
            }
            return entries
        }

        mutating func skipSpaces() {
            while let byte = current, byte == 0x20 || byte == 0x09 { index += 1 }
        }

        /// An optional comment, then a newline or the end of the file.
        mutating func endOfLine() throws(ParseError) {
            if current == UInt8(ascii: "#") {
                while let byte = current, byte != 0x0A, byte != 0x0D {
                    if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw fail("a control character in a comment") }
                    index += 1
                }
            }
            guard let byte = current else { return }
            if byte == 0x0D {
                guard index + 1 < bytes.count, bytes[index + 1] == 0x0A else { throw fail("a carriage return without a line feed") }
                index += 1
            }
            guard current == 0x0A else { throw fail("expected the end of the line, found \(describe(current))") }
            index += 1
            line += 1
        }

        /// A bare key, or one quoted as a basic or literal string.
        mutating func keyName() throws(ParseError) -> String {
            if current == UInt8(ascii: "\"") { return try basicString() }
            if current == UInt8(ascii: "'") { return try literalString() }
            let start = index
            while let byte = current, Self.isKeyByte(byte) { index += 1 }
            guard index > start else {
                throw fail("expected a key (letters, digits, _ and -), found \(describe(current))")
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        static func isKeyByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }

        func describe(_ byte: UInt8?) -> String {
            guard let byte else { return "the end of the file" }
            if byte >= 0x21, byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
            return "byte 0x" + String(byte, radix: 16)
        }

        func startsWith(_ text: String) -> Bool {
            let pattern = Array(text.utf8)
            return index + pattern.count <= bytes.count && Array(bytes[index..<(index + pattern.count)]) == pattern
        }

        mutating func value() throws(ParseError) -> Value {
            guard let byte = current else { throw fail("a key without a value") }
            switch byte {
            case UInt8(ascii: "\""):
                if startsWith("\"\"\"") { throw fail("multi-line strings are not used in a Vouch configuration") }
                return .string(try basicString())
            case UInt8(ascii: "'"):
                if startsWith("'''") { throw fail("multi-line strings are not used in a Vouch configuration") }
                return .string(try literalString())
            case UInt8(ascii: "["): throw fail("arrays are not used in a Vouch configuration")
            case UInt8(ascii: "{"): throw fail("inline tables are not used in a Vouch configuration")
            case 0x0A, 0x0D, UInt8(ascii: "#"): throw fail("a key without a value")
            default:
                let start = index
                while let b = current, b != 0x20, b != 0x09, b != 0x0A, b != 0x0D, b != UInt8(ascii: "#") { index += 1 }
                let token = String(decoding: bytes[start..<index], as: UTF8.self)
                if token == "true" { return .boolean(true) }
                if token == "false" { return .boolean(false) }
                return try number(token)
            }
        }

        mutating func literalString() throws(ParseError) -> String {
            index += 1
            let start = index
            while let byte = current, byte != UInt8(ascii: "'") {
                if byte == 0x0A || byte == 0x0D { throw fail("a string runs past the end of the line") }
                if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw fail("a control character in a string") }
                index += 1
            }
            guard current != nil else { throw fail("a string without its closing quote") }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
            return text
        }

        mutating func basicString() throws(ParseError) -> String {
            index += 1
            var out: [UInt8] = []
            while true {
                guard let byte = current else { throw fail("a string without its closing quote") }
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let escape = current else { throw fail("a string without its closing quote") }
                    index += 1
                    switch escape {
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "u"): out.append(contentsOf: try unicodeEscape(digits: 4))
                    case UInt8(ascii: "U"): out.append(contentsOf: try unicodeEscape(digits: 8))
                    default: throw fail("unknown escape \\\(Character(Unicode.Scalar(escape))) in a string")
                    }
                case 0x0A, 0x0D:
                    throw fail("a string runs past the end of the line")
                default:
                    if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw fail("a control character in a string") }
                    out.append(byte)
                }
            }
        }

        mutating func unicodeEscape(digits: Int) throws(ParseError) -> [UInt8] {
            guard index + digits <= bytes.count else { throw fail("a \\u or \\U escape needs \(digits) hex digits") }
            var value: UInt32 = 0
            for byte in bytes[index..<(index + digits)] {
                guard let digit = Self.hexDigit(byte) else { throw fail("a \\u or \\U escape needs \(digits) hex digits") }
                value = value << 4 | UInt32(digit)
            }
            index += digits
            guard let scalar = Unicode.Scalar(value) else {
                throw fail("escape U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar value")
            }
            return Array(String(Character(scalar)).utf8)
        }

        static func hexDigit(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }

        /// An integer or float token as TOML 1.0 writes them.
        func number(_ token: String) throws(ParseError) -> Value {
            switch token {
            case "inf", "+inf": return .float(.infinity)
            case "-inf": return .float(-.infinity)
            case "nan", "+nan", "-nan": return .float(.nan)
            default: break
            }
            let chars = Array(token.utf8)
            if token.contains(":") || (chars.count >= 5 && chars[4] == UInt8(ascii: "-") && chars[0..<4].allSatisfy(Self.isDigit)) {
                throw fail("dates and times are not used in a Vouch configuration")
            }
            if chars.count > 2, chars[0] == UInt8(ascii: "0"),
               let radix = [UInt8(ascii: "x"): 16, UInt8(ascii: "o"): 8, UInt8(ascii: "b"): 2][chars[1]] {
                let digits = Array(chars[2...])
                guard Self.wellPlacedUnderscores(digits),
                      digits.allSatisfy({ $0 == UInt8(ascii: "_") || (Self.hexDigit($0).map { Int($0) < radix } ?? false) }),
                      let value = Int64(String(decoding: digits.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self),
                                        radix: radix)
                else { throw fail("\"\(token)\" is not a valid or 64-bit integer") }
                return .integer(value)
            }
            // [+-] integer-part [. digits] [e [+-] digits]
            var position = 0
            if position < chars.count, chars[position] == UInt8(ascii: "+") || chars[position] == UInt8(ascii: "-") {
                position += 1
            }
            let integerStart = position
            while position < chars.count, Self.isDigit(chars[position]) || chars[position] == UInt8(ascii: "_") {
                position += 1
            }
            let integerPart = Array(chars[integerStart..<position])
            guard !integerPart.isEmpty, Self.wellPlacedUnderscores(integerPart),
                  integerPart.count == 1 || integerPart[0] != UInt8(ascii: "0")
            else { throw fail("\"\(token)\" is not a TOML value (strings need quotes)") }
            var isFloat = false
            /// Digits (with single underscores between them) from `position` on; false when there are none.
            func digitRun() -> Bool {
                let start = position
                while position < chars.count, Self.isDigit(chars[position]) || chars[position] == UInt8(ascii: "_") {
                    position += 1
                }
                return position > start && Self.wellPlacedUnderscores(Array(chars[start..<position]))
            }
            if position < chars.count, chars[position] == UInt8(ascii: ".") {
                position += 1
                guard digitRun() else { throw fail("\"\(token)\" is not a valid float") }
                isFloat = true
            }
            if position < chars.count, chars[position] == UInt8(ascii: "e") || chars[position] == UInt8(ascii: "E") {
                position += 1
                if position < chars.count, chars[position] == UInt8(ascii: "+") || chars[position] == UInt8(ascii: "-") {
                    position += 1
                }
                guard digitRun() else { throw fail("\"\(token)\" is not a valid float") }
                isFloat = true
            }
            guard position == chars.count else { throw fail("\"\(token)\" is not a TOML value (strings need quotes)") }
            let plain = String(decoding: chars.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
            if isFloat {
                guard let value = Double(plain), value.isFinite else { throw fail("\"\(token)\" is out of range") }
                return .float(value)
            }
            guard let value = Int64(plain) else { throw fail("\"\(token)\" does not fit in 64 bits") }
            return .integer(value)
        }

        static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        /// Underscores only between two digits.
        static func wellPlacedUnderscores(_ digits: [UInt8]) -> Bool {
            guard let first = digits.first, let last = digits.last else { return false }
            if first == UInt8(ascii: "_") || last == UInt8(ascii: "_") { return false }
            for (a, b) in zip(digits, digits.dropFirst()) where a == UInt8(ascii: "_") && b == UInt8(ascii: "_") {
                return false
            }
            return true
        }
    }
}
