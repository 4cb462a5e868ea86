/// Base45 (RFC 9285), the QR-alphanumeric encoding of the VCH1 text.
public enum Base45 {
    /// Why a Base45 string could not be decoded.
    public struct DecodingError: Error, Hashable, CustomStringConvertible {
        public enum Code: String, Sendable, Hashable {
            /// A character outside the 45-character alphabet.
            case invalidCharacter
            /// A three-character group worth more than 65535, or a final pair worth more than 255.
            case valueTooLarge
            /// One character left over, which encodes nothing (RFC 9285 §4.2).
            case danglingCharacter
        }

        public let code: Code
        public let offset: Int

        public var description: String {
            switch code {
            case .invalidCharacter: return "Base45: character at position \(offset) is not in the alphabet"
            case .valueTooLarge: return "Base45: group at position \(offset) encodes a value out of range"
            case .danglingCharacter: return "Base45: a single character is left over at position \(offset)"
            }
        }
    }

    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)

    /// Maps an ASCII byte to its Base45 value, or 0xff.
    static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (index, char) in alphabet.enumerated() { table[Int(char)] = UInt8(index) }
        return table
    }()

    /// Encodes bytes as Base45 text.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        encode(bytes, prefix: "")
    }

    /// Encodes bytes as Base45 text after `prefix`, in one buffer.
    public static func encode(_ bytes: some Collection<UInt8>, prefix: String) -> String {
        var out: [UInt8] = Array(prefix.utf8)
        out.reserveCapacity(out.count + bytes.count / 2 * 3 + 2)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            if let second = iterator.next() {
                var n = Int(first) << 8 | Int(second)
                for _ in 0..<3 {
                    out.append(alphabet[n % 45])
                    n /= 45
                }
            } else {
                out.append(alphabet[Int(first) % 45])
                out.append(alphabet[Int(first) / 45])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes Base45 text.
    ///
    /// - Throws: ``DecodingError`` for a character outside the alphabet, a
    ///   group out of range, or a single leftover character.
    public static func decode(_ text: some StringProtocol) throws(DecodingError) -> [UInt8] {
        try decode(utf8: Array(text.utf8))
    }

    /// Decodes Base45 given as ASCII bytes.
    public static func decode(utf8 chars: [UInt8]) throws(DecodingError) -> [UInt8] {
        try chars.withUnsafeBufferPointer { (input) throws(DecodingError) in try decode(utf8: input) }
    }

    /// Decodes Base45 given as ASCII bytes in place.
    public static func decode(utf8 chars: UnsafeBufferPointer<UInt8>) throws(DecodingError) -> [UInt8] {
        // Through pointers, with the table read once: the checked array
        // subscripts and the table's lazy-global access per character were
        // about 11k instructions of a presentation verify.
        try values.withUnsafeBufferPointer { (table) throws(DecodingError) in try decode(chars, table: table) }
    }

    private static func decode(_ chars: UnsafeBufferPointer<UInt8>,
                               table: UnsafeBufferPointer<UInt8>) throws(DecodingError) -> [UInt8] {
        @inline(__always)
        func value(_ index: Int) throws(DecodingError) -> Int {
            let v = table[Int(chars[index])]
            guard v != 0xff else { throw DecodingError(code: .invalidCharacter, offset: index) }
            return Int(v)
        }
        let groups = chars.count / 3
        let tail = chars.count - groups * 3
        return try [UInt8](unsafeUninitializedCapacity: groups * 2 + (tail == 2 ? 1 : 0)) {
            (buffer, initialized) throws(DecodingError) in
            var i = 0
            while initialized < groups * 2 {
                let a = table[Int(chars[i])], b = table[Int(chars[i + 1])], c = table[Int(chars[i + 2])]
                // Alphabet values are below 45; 0xff marks a byte outside it.
                if (a | b | c) & 0x80 != 0 { _ = try (value(i), value(i + 1), value(i + 2)) }
                let n = Int(a) &+ Int(b) &* 45 &+ Int(c) &* (45 * 45)
                guard n <= 0xffff else { throw DecodingError(code: .valueTooLarge, offset: i) }
                buffer[initialized] = UInt8(truncatingIfNeeded: n >> 8)
                buffer[initialized + 1] = UInt8(truncatingIfNeeded: n)
                i += 3
                initialized += 2
            }
            switch tail {
            case 0: break
            case 2:
                let n = try value(i) + (try value(i + 1)) * 45
                guard n <= 0xff else { throw DecodingError(code: .valueTooLarge, offset: i) }
                buffer[initialized] = UInt8(n)
                initialized += 1
            default:
                _ = try value(i)
                throw DecodingError(code: .danglingCharacter, offset: i)
            }
        }
    }
}
