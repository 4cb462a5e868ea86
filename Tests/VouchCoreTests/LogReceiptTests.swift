import Testing
import VouchCore

@Suite("Log receipts in the unprotected header (format.md §7)")
struct LogReceiptTests {
    static let receipt = LogReceipt(index: 1234, time: 1_760_000_000, signature: [UInt8](repeating: 7, count: 64))

    @Test("the signed message is the exact text of §7")
    func messageText() {
        let hash = [UInt8](0..<32)
        let text = String(decoding: Self.receipt.message(origin: "id.example.org/vouch/log", tokenHash: hash),
                          as: UTF8.self)
        #expect(text == "vouch log receipt v1\nid.example.org/vouch/log\n1234\n1760000000\n"
                + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n")
        // Every padding length of the base64 helper.
        #expect(String(decoding: LogReceipt.message(origin: "o", index: 0, time: 0, tokenHash: [0xff]), as: UTF8.self)
                    .hasSuffix("\n/w==\n"))
        #expect(String(decoding: LogReceipt.message(origin: "o", index: 0, time: 0, tokenHash: [1, 2]), as: UTF8.self)
                    .hasSuffix("\nAQI=\n"))
    }

    @Test("the receipt is bstr .cbor [index, time, signature] under -65537")
    func wireShape() throws {
        #expect(Self.receipt.encoded() == [0x83, 0x19, 0x04, 0xd2, 0x1a, 0x68, 0xe7, 0x78, 0x00, 0x58, 0x40]
                    + [UInt8](repeating: 7, count: 64))
        let sign1 = try COSESign1(tagged: VCH1Tests.token())
        let carried = sign1.attaching(Self.receipt)
        let bytes = carried.encoded()
        // tag 18, array 4, protected bstr, then the map {-65537: bstr}: a1 3a 00010000 58 4b ...
        let start = 2 + 1 + sign1.protectedBytes.count
        #expect(Array(bytes[start..<start + 6]) == [0xa1, 0x3a, 0x00, 0x01, 0x00, 0x00])
        let decoded = try DecodedAttestation(coseBytes: bytes)
        #expect(decoded.receipt == Self.receipt)
        // The issuer's signature input and the logged bytes are those of the code without it.
        #expect(decoded.sign1.toBeSigned() == sign1.toBeSigned())
        #expect(decoded.sign1.loggedBytes == VCH1Tests.token())
        #expect(try DecodedAttestation(coseBytes: VCH1Tests.token()).receipt == nil)
    }

    static let badReceipts: [(String, [UInt8])] = [
        ("not an array", CBOR.map([]).encoded()),
        ("two elements", CBOR.array([1, 2]).encoded()),
        ("four elements", CBOR.array([1, 2, .bytes([1]), 4]).encoded()),
        ("negative index", CBOR.array([-1, 2, .bytes([1])]).encoded()),
        ("text time", CBOR.array([1, "2", .bytes([1])]).encoded()),
        ("empty signature", CBOR.array([1, 2, .bytes([])]).encoded()),
        ("65-byte signature", CBOR.array([1, 2, .bytes([UInt8](repeating: 1, count: 65))]).encoded()),
        ("trailing byte", CBOR.array([1, 2, .bytes([1])]).encoded() + [0]),
        ("too long", [UInt8](repeating: 0, count: 200)),
        ("nested", CBOR.array([1, 2, .array([.bytes([1])])]).encoded()),
    ]

    @Test("a receipt of any other shape is malformed", arguments: badReceipts)
    func strictReceipt(name: String, content: [UInt8]) throws {
        let sign1 = try COSESign1(tagged: VCH1Tests.token())
        let bytes = sign1.replacingUnprotected([CBOR.Pair(.int(LogReceipt.label), .bytes(content))]).encoded()
        #expect(throws: FormatError(.malformed, ""), "\(name)") { try DecodedAttestation(coseBytes: bytes) }
    }

    @Test("the unprotected header holds nothing but a receipt byte string")
    func strictHeader() throws {
        let sign1 = try COSESign1(tagged: VCH1Tests.token())
        let receipt = CBOR.Pair(.int(LogReceipt.label), .bytes(Self.receipt.encoded()))
        for header in [
            [CBOR.Pair(33, .bytes([1]))],  // another label
            [receipt, CBOR.Pair(-65538, 1)],  // a receipt and something else
            [CBOR.Pair(.int(LogReceipt.label), .array([1, 2, .bytes([1])]))],  // not wrapped in a bstr
        ] {
            let bytes = sign1.replacingUnprotected(header).encoded()
            #expect(throws: FormatError(.malformed, "")) { try DecodedAttestation(coseBytes: bytes) }
        }
    }
}
