import Foundation
import Testing
import VouchVerifier

@Suite struct LogicValueJSONTests {
    @Test func parsesEveryKind() throws {
        let value = try LogicValue(
            json: #" { "n": null, "t": true, "f": false, "i": -12, "d": 1.5e2, "s": "a\"\\\/\b\f\n\r\t\u00e9", "a": [1, [], {}] } "#)
        #expect(
            value
                == .object([
                    "n": .null, "t": .bool(true), "f": .bool(false), "i": .number(-12), "d": .number(150),
                    "s": .string("a\"\\/\u{8}\u{c}\n\r\té"), "a": .array([.number(1), .array([]), .object([:])]),
                ]))
    }

    @Test func booleansAreNotNumbers() throws {
        #expect(try LogicValue(json: "true") == .bool(true))
        #expect(try LogicValue(json: "1") == .number(1))
        #expect(try LogicValue(json: "true") != LogicValue(json: "1"))
        #expect(try LogicValue(json: "0") != LogicValue(json: "false"))
    }

    @Test func surrogatePairsDecode() throws {
        #expect(try LogicValue(json: #""\ud83d\ude00""#) == .string("😀"))
        #expect(try LogicValue(json: "\"😀\"") == .string("😀"))
    }

    @Test(arguments: [
        (#"{"a": 1, "a": 2}"#, "duplicate key"),
        (#"{"é": 1, "e\u0301": 2}"#, "duplicate key"),  // canonically equal keys collide
        ("[1, 2,]", "unexpected character"),
        (#"{"a": 1,}"#, "expected a string key"),
        ("01", "leading zeros"),
        ("-", "expected a digit"),
        ("1.", "expected a digit after ."),
        ("1e", "expected a digit in exponent"),
        ("1e400", "out of range"),
        ("NaN", "unexpected character"),
        ("'a'", "unexpected character"),
        ("// c\n1", "unexpected character"),
        ("[1] x", "unexpected data after"),
        ("", "unexpected end of input"),
        ("tru", "invalid literal"),
        (#""\ud800""#, "lone high surrogate"),
        (#""\udc00""#, "lone low surrogate"),
        (#""\ud800\u0041""#, "invalid surrogate pair"),
        (#""\x""#, "invalid escape"),
        (#""\u12g4""#, "invalid hex digit"),
        ("\"a\tb\"", "control character"),
        ("\"abc", "unterminated string"),
        ("[1, 2", "unterminated array"),
    ])
    func rejects(text: String, reason: String) {
        #expect(throws: LogicValue.ParseError.self) { try LogicValue(json: text) }
        do {
            _ = try LogicValue(json: text)
        } catch {
            #expect(error.reason.contains(reason), "\(text): \(error)")
        }
    }

    @Test func rejectsInvalidUTF8AndByteOrderMark() {
        #expect(throws: LogicValue.ParseError.self) { try LogicValue(json: [0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: LogicValue.ParseError.self) { try LogicValue(json: [0x22, 0xED, 0xA0, 0x80, 0x22]) }
        #expect(throws: LogicValue.ParseError.self) { try LogicValue(json: [0xEF, 0xBB, 0xBF] + Array("1".utf8)) }
    }

    @Test func depthIsBoundedAt32() throws {
        let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(throws: Never.self) { try LogicValue(json: ok) }
        let tooDeep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        #expect(throws: LogicValue.ParseError.self) { try LogicValue(json: tooDeep) }
        // A deep attack fails at the limit without recursing further.
        let attack = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: LogicValue.ParseError.self) { try LogicValue(json: attack) }
    }

    @Test func sizeIsBounded() {
        let big = [UInt8](repeating: 0x20, count: LogicValue.maximumJSONSize + 1)
        #expect(throws: LogicValue.ParseError.self) { try LogicValue(json: big) }
    }

    @Test func errorsGiveTheByteOffset() {
        do {
            _ = try LogicValue(json: #"{"a": 1, "a": 2}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 9)
            #expect(error.description == #"invalid JSON at byte 9: duplicate key "a""#)
        }
    }

    @Test(arguments: [
        #"{"b":[1,2.5,"x\n\"y"],"a":{"c":null,"d":true}}"#, "-0.125", #""\u0001""#, "[]", "1e+300",
    ])
    func descriptionRoundTrips(text: String) throws {
        let value = try LogicValue(json: text)
        #expect(try LogicValue(json: value.description) == value)
    }

    @Test func descriptionIsCompactWithSortedKeys() throws {
        #expect(try LogicValue(json: #"{ "b": 18.0, "a": [true, null] }"#).description == #"{"a":[true,null],"b":18}"#)
    }

    @Test("strings are escaped exactly: quote, backslash, controls; multi-byte text is copied as it is")
    func escapesExactly() throws {
        let value = LogicValue.string("a\"b\\c\n\r\t\u{01}\u{1F}é€😀/\u{7F}")
        #expect(value.description == #""a\"b\\c\n\r\t\u0001\u001fé€😀/\#u{7F}""#)
        #expect(value.jsonBytes() == Array(value.description.utf8))
        // Foundation's parser reads our text back to the same string.
        let parsed = try JSONSerialization.jsonObject(with: Data(value.jsonBytes()), options: .fragmentsAllowed)
        #expect(parsed as? String == "a\"b\\c\n\r\t\u{01}\u{1F}é€😀/\u{7F}")
        let keyed: LogicValue = .object(["ключ\"": .string("x"), "a": .number(1)])
        #expect(keyed.description == #"{"a":1,"ключ\"":"x"}"#)
    }

    @Test func literalsBuildValues() {
        let value: LogicValue = ["a": [1, "x", true, nil], "b": 2.5]
        #expect(value.objectValue?["a"] == .array([.number(1), .string("x"), .bool(true), .null]))
        #expect(value.objectValue?["b"]?.numberValue == 2.5)
        #expect(LogicValue.number(3).integerValue == 3)
        #expect(LogicValue.number(3.5).integerValue == nil)
    }
}
