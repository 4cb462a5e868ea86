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

    /// The offset names the first bad character, wherever it sits in its group
    /// (the decoder checks a whole group at once and looks for it only then),
    /// and a group out of range is named by its first character.
    @Test(arguments: [
        ("a%69 VD92EX0", 0, Base45.DecodingError.Code.invalidCharacter),
        ("%a9 VD92EX0", 1, .invalidCharacter),
        ("%6a VD92EX0", 2, .invalidCharacter),
        ("%69 VDa2EX0", 6, .invalidCharacter),
        ("%69 VD92Ea", 9, .invalidCharacter),
        ("%69 VD92Eaa", 9, .invalidCharacter),  // a bad character before the dangling one wins
        ("%69GGW", 3, .valueTooLarge),
        ("%69GGWa", 3, .valueTooLarge),  // groups are read in order: the range error comes first
        ("%69::", 3, .valueTooLarge),
        ("%69 VD9", 6, .danglingCharacter),
    ])
    func rejectionOffsets(text: String, offset: Int, code: Base45.DecodingError.Code) {
        do {
            _ = try Base45.decode(text)
            Issue.record("\(text) decoded")
        } catch {
            #expect(error.code == code, "\(text)")
            #expect(error.offset == offset, "\(text)")
        }
    }
}
