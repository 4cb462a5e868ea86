extension LogicValue {
    /// Why a JSON text was rejected, and where.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Byte offset of the problem in the input.
        public let offset: Int
        /// What is wrong, for a human.
        public let reason: String

        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    /// Nesting limit of arrays and objects, counting the outermost one.
    public static let maximumJSONDepth = 32
    /// Size limit of a JSON text, checked before anything is parsed.
    public static let maximumJSONSize = 1 << 20

    /// Parses one strict RFC 8259 JSON text.
    ///
    /// Strict means: no duplicate object keys (keys equal as Swift strings
    /// count as duplicates), no byte order mark, no comments, no trailing
    /// commas, no leading zeros, no lone surrogates, valid UTF-8 only, no
    /// number that overflows a `Double`, nothing but whitespace after the
    /// value, at most ``maximumJSONDepth`` levels and ``maximumJSONSize`` bytes.
    ///
    /// - Parameter bytes: the UTF-8 JSON text.
    /// - Throws: ``ParseError`` naming the byte offset of the first problem.
    public init(json bytes: [UInt8]) throws(ParseError) {
        guard bytes.count <= Self.maximumJSONSize else {
            throw ParseError(offset: 0, reason: "input is \(bytes.count) bytes, limit is \(Self.maximumJSONSize)")
        }
        var parser = JSONParser(bytes: bytes)
        self = try parser.parseDocument()
    }

    /// Parses one strict JSON text from a string (see ``init(json:)-([UInt8])``).
    public init(json text: String) throws(ParseError) {
        try self.init(json: Array(text.utf8))
    }
}

// MARK: - Parser

/// A recursive-descent parser over bytes; recursion is bounded by the depth limit.
private struct JSONParser {
    let bytes: [UInt8]
    var index = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws(LogicValue.ParseError) -> LogicValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw fail("byte order mark is not allowed") }
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected data after the JSON value") }
        return value
    }

    func fail(_ reason: String, at offset: Int? = nil) -> LogicValue.ParseError {
        LogicValue.ParseError(offset: offset ?? index, reason: reason)
    }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func parseValue() throws(LogicValue.ParseError) -> LogicValue {
        guard index < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character \(describe(bytes[index]))")
        }
    }

    mutating func expectLiteral(_ word: String) throws(LogicValue.ParseError) {
        let expected = Array(word.utf8)
        guard bytes[index...].starts(with: expected) else { throw fail("invalid literal, expected \(word)") }
        index += expected.count
    }

    mutating func enterContainer() throws(LogicValue.ParseError) {
        depth += 1
        guard depth <= LogicValue.maximumJSONDepth else {
            throw fail("nesting deeper than \(LogicValue.maximumJSONDepth) levels")
        }
        index += 1
    }

    mutating func parseArray() throws(LogicValue.ParseError) -> LogicValue {
        try enterContainer()
        defer { depth -= 1 }
        var elements: [LogicValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            } else {
                throw fail("expected , or ] in array, found \(describe(bytes[index]))")
            }
        }
    }

    mutating func parseObject() throws(LogicValue.ParseError) -> LogicValue {
        try enterContainer()
        defer { depth -= 1 }
        var members: [String: LogicValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw fail("expected a string key in object")
            }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected : after key") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            guard members.updateValue(value, forKey: key) == nil else {
                throw fail("duplicate key \"\(key)\"", at: keyOffset)
            }
            skipWhitespace()
            guard index < bytes.count else { throw fail("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            } else {
                throw fail("expected , or } in object, found \(describe(bytes[index]))")
            }
        }
    }

    // MARK: Strings

    mutating func parseString() throws(LogicValue.ParseError) -> String {
        let start = index
        index += 1  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard index < bytes.count else { throw fail("unterminated string", at: start) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                let text = String(decoding: utf8, as: UTF8.self)
                // Decoding repairs bad UTF-8 with U+FFFD; a repair changes the bytes.
                guard text.utf8.elementsEqual(utf8) else { throw fail("string is not valid UTF-8", at: start) }
                return text
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0x00..<0x20:
                throw fail("control character in string must be escaped")
            default:
                utf8.append(byte)
                index += 1
            }
        }
    }

    mutating func parseEscape(into utf8: inout [UInt8]) throws(LogicValue.ParseError) {
        index += 1
        guard index < bytes.count else { throw fail("unterminated escape") }
        let replacement: UInt8? =
            switch bytes[index] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes[index]
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let replacement {
            utf8.append(replacement)
            index += 1
            return
        }
        guard bytes[index] == UInt8(ascii: "u") else { throw fail("invalid escape \\\(describe(bytes[index]))") }
        let escapeStart = index - 1
        index += 1
        var scalar = try parseHex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard bytes[index...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]) else {
                throw fail("lone high surrogate", at: escapeStart)
            }
            index += 2
            let low = try parseHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid surrogate pair", at: escapeStart) }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw fail("lone low surrogate", at: escapeStart)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid code point", at: escapeStart) }
        utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
    }

    mutating func parseHex4() throws(LogicValue.ParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    // MARK: Numbers

    mutating func parseNumber() throws(LogicValue.ParseError) -> LogicValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail("expected a digit", at: index) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw fail("leading zeros are not allowed", at: start) }
        } else {
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("expected a digit after .") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("expected a digit in exponent") }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw fail("number \(text) is out of range", at: start)
        }
        return .number(value)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}
