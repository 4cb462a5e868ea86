import Foundation
import Testing
import VouchCore

@Suite struct CBORTests {
    func decodeError(_ hex: String, limits: CBORLimits = .default) -> CBORError.Code? {
        do {
            _ = try CBORDecoder.decode([UInt8](hex: hex), limits: limits)
            return nil
        } catch {
            return error.code
        }
    }

    @Test(arguments: [
        ("", CBORError.Code.truncated),
        ("18", .truncated),  // uint8 argument missing
        ("1a0000", .truncated),
        ("43aabb", .truncated),  // bstr of 3 with 2 bytes
        ("62c3", .truncated),
        ("0001", .trailingBytes),
        ("a100", .truncated),  // map of 1 with a key and no value
        ("5f4100ff", .indefiniteLength),
        ("9fff", .indefiniteLength),
        ("bfff", .indefiniteLength),
        ("7f6161ff", .indefiniteLength),
        ("a201020103", .duplicateKey),  // {1: 2, 1: 3}
        ("a2616101616102", .duplicateKey),  // {"a": 1, "a": 2}
        ("a2180101 0102".replacingOccurrences(of: " ", with: ""), .duplicateKey),  // non-minimal 1 == 1
        ("62c328", .invalidUTF8),
        ("1c", .reservedAdditionalInfo),
        ("3d", .reservedAdditionalInfo),
        ("fe", .reservedAdditionalInfo),
        ("f801", .invalidSimpleValue),
        ("ff", .unsupportedBreak),
        ("9b00000000ffffffff", .truncated),  // huge array count, no allocation
        ("5b7fffffffffffffff", .truncated),  // huge byte string length
        ("bb4000000000000000", .truncated),  // huge map count
    ])
    func rejects(hex: String, code: CBORError.Code) {
        #expect(decodeError(hex) == code, "\(hex)")
    }

    @Test func nestingLimit() {
        let sixteen = String(repeating: "81", count: 15) + "00"
        #expect(decodeError(sixteen) == nil)
        let seventeen = String(repeating: "81", count: 16) + "00"
        #expect(decodeError(seventeen) == .tooDeep)
        // Tags nest too.
        #expect(decodeError(String(repeating: "c1", count: 16) + "00") == .tooDeep)
    }

    @Test func itemLimit() {
        // An array of 1023 zeros is 1024 items; 1024 zeros is 1025.
        let ok = "9903ff" + String(repeating: "00", count: 1023)
        #expect(decodeError(ok) == nil)
        let tooMany = "990400" + String(repeating: "00", count: 1024)
        #expect(decodeError(tooMany) == .tooManyItems)
        let smallLimit = CBORLimits(maximumDepth: 16, maximumItems: 3)
        #expect(decodeError("83010203", limits: smallLimit) == .tooManyItems)
        #expect(decodeError("820102", limits: smallLimit) == nil)
    }

    @Test func nonMinimalAcceptedOnReadNeverWritten() throws {
        let item = try CBORDecoder.decode([UInt8](hex: "1b0000000000000001"))
        #expect(item == .unsigned(1))
        #expect(item.encoded() == [0x01])
        let text = try CBORDecoder.decode([UInt8](hex: "7800"))
        #expect(text.encoded() == [0x60])
    }

    @Test func deterministicMapOrder() {
        // RFC 8949 §4.2.1: keys sorted by their encoded bytes: 10, 100, -1, "z", "aa", [100], [-1], false.
        let map = CBOR.map([
            .init(false, 1), .init([-1], 1), .init([100], 1), .init("aa", 1), .init("z", 1), .init(-1, 1),
            .init(100, 1), .init(10, 1),
        ])
        #expect(map.encoded().hexString == "a80a011864012001617a0162616101811864018120" + "01f401")
    }

    /// The map-key comparator agrees with comparing encodings, across kinds and widths.
    @Test func keyOrderMatchesEncodedOrder() {
        var generator = SystemRandomNumberGenerator()
        func randomKey() -> CBOR {
            let widths: [UInt64] = [23, 24, 255, 256, 65_535, 65_536, 1 << 32, .max]
            let bound = widths.randomElement(using: &generator)!
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: return .unsigned(UInt64.random(in: 0...bound, using: &generator))
            case 1: return .negative(UInt64.random(in: 0...bound, using: &generator))
            case 2: return .text(String((0..<Int.random(in: 0..<30, using: &generator)).map { _ in "ab\u{e9}z".randomElement()! }))
            case 3: return .bytes((0..<Int.random(in: 0..<30, using: &generator)).map { _ in UInt8.random(in: 0...255) })
            case 4: return .bool(Bool.random())
            default: return .array([.unsigned(UInt64.random(in: 0...300, using: &generator))])
            }
        }
        for _ in 0..<5000 {
            let a = randomKey(), b = randomKey()
            let byEncoding = a.encoded().lexicographicallyPrecedes(b.encoded())
            let mapped = CBOR.map([.init(a, 0), .init(b, 1)]).encoded()
            let expectedFirst = byEncoding || a.encoded() == b.encoded() ? a : b
            #expect(mapped.dropFirst().starts(with: expectedFirst.encoded()), "\(a.diagnostic) vs \(b.diagnostic)")
        }
    }

    @Test func integersAtEveryWidth() throws {
        let cases: [(CBOR, String)] = [
            (.int(0), "00"), (.int(23), "17"), (.int(24), "1818"), (.int(255), "18ff"), (.int(256), "190100"),
            (.int(65535), "19ffff"), (.int(65536), "1a00010000"), (.int(4_294_967_295), "1affffffff"),
            (.int(4_294_967_296), "1b0000000100000000"), (.unsigned(.max), "1bffffffffffffffff"),
            (.int(-1), "20"), (.int(-24), "37"), (.int(-25), "3818"), (.negative(.max), "3bffffffffffffffff"),
            (.int(Int64.min), "3b7fffffffffffffff"),
        ]
        for (item, hex) in cases {
            #expect(item.encoded().hexString == hex)
            #expect(try CBORDecoder.decode([UInt8](hex: hex)) == item)
        }
        #expect(CBOR.int(Int64.min).int64 == Int64.min)
        #expect(CBOR.negative(.max).int64 == nil)
    }

    @Test func floatsUseShortestExactWidth() {
        #expect(CBOR.float(1.5).encoded().hexString == "f93e00")
        #expect(CBOR.float(100000.0).encoded().hexString == "fa47c35000")
        #expect(CBOR.float(1.1).encoded().hexString == "fb3ff199999999999a")
        #expect(CBOR.float(.nan).encoded().hexString == "f97e00")
        #expect(CBOR.float(-0.0).encoded().hexString == "f98000")
        #expect(CBOR.float(5.960464477539063e-8).encoded().hexString == "f90001")
    }

    @Test func nestedRoundTrip() throws {
        let item: CBOR = .map([
            .init(1, "https://id.example.org"), .init(7, .bytes([1, 2, 3])),
            .init("list", [1, -2, "three", .tagged(1, 1_700_000_000), .null, .bool(false)]),
        ])
        let bytes = item.encoded()
        let back = try CBORDecoder.decode(bytes)
        #expect(back.encoded() == bytes)
        #expect(back["list"]?.arrayValue?.count == 6)
        #expect(back[1]?.textValue == "https://id.example.org")
        #expect(back[key: 7]?.bytesValue == [1, 2, 3])
    }

    @Test func diagnosticNotation() throws {
        let item = try CBORDecoder.decode([UInt8](hex: "a2616101436263a8f5"))
        #expect(item.diagnostic == "{\"a\": 1, h'6263a8': true}")
        #expect(CBOR.array([1, "x\n", .bytes([0xab])]).diagnostic == "[1, \"x\\n\", h'ab']")
    }
}
