import Testing
import VouchCore

@Suite struct Base45Tests {
    /// RFC 9285 §4.3 and §4.4 examples.
    @Test(arguments: [
        ("AB", "BB8"),
        ("Hello!!", "%69 VD92EX0"),
        ("base-45", "UJCLQE7W581"),
        ("ietf!", "QED8WEX0"),
        ("", ""),
    ])
    func rfcExamples(plain: String, encoded: String) throws {
        #expect(Base45.encode(Array(plain.utf8)) == encoded)
        #expect(try Base45.decode(encoded) == Array(plain.utf8))
    }

    @Test func allByteValuesRoundTrip() throws {
        let bytes = (0...255).map { UInt8($0) } + [0xff, 0xff, 0x00]
        #expect(try Base45.decode(Base45.encode(bytes)) == bytes)
        #expect(try Base45.decode(Base45.encode([0xff, 0xff])) == [0xff, 0xff])  // "FGW", the largest group
        #expect(Base45.encode([0xff, 0xff]) == "FGW")
    }

    @Test(arguments: [
        ("GGW", Base45.DecodingError.Code.valueTooLarge),  // 16 + 16*45 + 32*2025 = 65536
        (":::", .valueTooLarge),
        ("::", .valueTooLarge),  // 44 + 44*45 > 255
        ("abc", .invalidCharacter),  // lower case is not in the alphabet
        ("BB8A", .danglingCharacter),
        ("A", .danglingCharacter),
        ("BB8é", .invalidCharacter),
        ("BB=", .invalidCharacter),
    ])
    func rejects(text: String, code: Base45.DecodingError.Code) {
        #expect(throws: Base45.DecodingError.self) { try Base45.decode(text) }
        do {
            _ = try Base45.decode(text)
        } catch {
            #expect(error.code == code, "\(text)")
        }
    }
}
