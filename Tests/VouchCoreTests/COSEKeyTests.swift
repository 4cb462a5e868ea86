import Testing
import VouchCore

/// The `cnf` holder key of format.md §6: shape, strict decoding, and its place in the claims.
@Suite struct COSEKeyTests {
    static let x = [UInt8](repeating: 0x11, count: 32)
    static let y = [UInt8](repeating: 0x22, count: 32)

    @Test func compressedKeyEncodesAsTheSpecSays() throws {
        let key = try COSEKey(x: Self.x, y: .signBit(true))
        // {1: 2, -1: 1, -2: h'11..', -3: true}, labels in deterministic order.
        #expect(key.cbor().encoded() == [0xa4, 0x01, 0x02, 0x20, 0x01, 0x21, 0x58, 0x20] + Self.x + [0x22, 0xf5])
        #expect(try COSEKey(cbor: CBORDecoder.decode(key.cbor().encoded())) == key)
        #expect(key.confirmation().encoded().prefix(2) == [0xa1, 0x01])
        #expect(try COSEKey(confirmation: key.confirmation()) == key)
    }

    @Test func fullYIsAcceptedOnRead() throws {
        let item: CBOR = .map([.init(1, 2), .init(-1, 1), .init(-2, .bytes(Self.x)), .init(-3, .bytes(Self.y))])
        let key = try COSEKey(cbor: item)
        #expect(key.y == .bytes(Self.y))
        #expect(key.cbor() == item)
    }

    static func pairs(dropping label: Int64? = nil, adding extra: CBOR.Pair? = nil,
                      replacing replacement: CBOR.Pair? = nil) -> CBOR {
        var pairs: [CBOR.Pair] = [.init(1, 2), .init(-1, 1), .init(-2, .bytes(x)), .init(-3, false)]
        if let label { pairs.removeAll { $0.key == .int(label) } }
        if let replacement { pairs = pairs.map { $0.key == replacement.key ? replacement : $0 } }
        if let extra { pairs.append(extra) }
        return .map(pairs)
    }

    @Test(arguments: [
        ("not a map", CBOR.array([1])),
        ("OKP key type", pairs(replacing: .init(1, 1))),
        ("P-384 curve", pairs(replacing: .init(-1, 2))),
        ("missing x", pairs(dropping: -2)),
        ("missing y", pairs(dropping: -3)),
        ("missing kty", pairs(dropping: 1)),
        ("short x", pairs(replacing: .init(-2, .bytes([1, 2, 3])))),
        ("text x", pairs(replacing: .init(-2, "x"))),
        ("short y", pairs(replacing: .init(-3, .bytes([1])))),
        ("integer y", pairs(replacing: .init(-3, 1))),
        ("a private key d", pairs(adding: .init(-4, .bytes(y)))),
        ("a kid", pairs(adding: .init(2, .bytes([1])))),
    ])
    func rejectsKey(_ name: String, item: CBOR) {
        #expect(throws: FormatError(.malformed, ""), "\(name)") { try COSEKey(cbor: item) }
    }

    @Test func confirmationIsOnlyACOSEKey() throws {
        let key = try COSEKey(x: Self.x, y: .signBit(false)).cbor()
        #expect(throws: FormatError(.malformed, "")) { try COSEKey(confirmation: .map([.init(3, .bytes([1]))])) }
        #expect(throws: FormatError(.malformed, "")) { try COSEKey(confirmation: .map([.init(1, key), .init(3, 1)])) }
        #expect(throws: FormatError(.malformed, "")) { try COSEKey(confirmation: .map([])) }
        #expect(throws: FormatError(.malformed, "")) { try COSEKey(confirmation: key) }
    }

    @Test func claimsCarryTheHolderKey() throws {
        var claims = ClaimsTests.age()
        claims.holderKey = try COSEKey(x: Self.x, y: .signBit(true))
        let bytes = claims.encoded()
        let decoded = try Claims(payload: bytes)
        #expect(decoded == claims)
        #expect(decoded.holderKey == claims.holderKey)
        let keys = try #require(CBORDecoder.decode(bytes).mapValue).map(\.key)
        #expect(keys == [1, 4, 6, 7, 8, 65535, "vct", "age_over_18"])
        #expect(try Claims(payload: ClaimsTests.age().encoded()).holderKey == nil)
    }

    @Test func claimsRefuseABadHolderKey() {
        let bad = ClaimsTests.mutate { $0.append(.init(8, .map([.init(1, Self.pairs(replacing: .init(-1, 2)))]))) }
        #expect(throws: FormatError(.malformed, "")) { try Claims(payload: bad) }
        let kidOnly = ClaimsTests.mutate { $0.append(.init(8, .map([.init(3, .bytes([7]))]))) }
        #expect(throws: FormatError(.malformed, "")) { try Claims(payload: kidOnly) }
    }
}
