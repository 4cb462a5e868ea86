import Testing
import VouchCore

/// Status List Tokens (CWT form): encoding, and strict decoding of every part.
@Suite struct StatusListTokenTests {
    static let kid: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
    /// Signatures are not checked here (that is the verifier's job): any 64 bytes do.
    static let signature = [UInt8](repeating: 0xab, count: 64)

    static func sample() -> StatusListToken {
        var list = StatusList(count: 1000)
        list[7] = 1
        list[999] = 2
        return StatusListToken(uri: "https://issuer.example/v1/status/3", issuedAt: 1_760_000_000,
                               expiresAt: 1_760_086_400, timeToLive: 300, list: list)
    }

    /// COSE_Sign1_Tagged around `claims` under `protected`, as a hostile or buggy issuer might build it.
    static func build(protected: [CBOR.Pair]? = nil, unprotected: [CBOR.Pair] = [], claims: CBOR,
                      signature: [UInt8] = signature) -> [UInt8] {
        let header = protected ?? [CBOR.Pair(1, -7), CBOR.Pair(4, .bytes(kid)),
                                   CBOR.Pair(16, .text(StatusListToken.mediaType))]
        return COSESign1(protectedHeader: header, unprotectedHeader: unprotected, payload: claims.encoded(),
                         signature: signature).encoded()
    }

    static func claims(replacing key: CBOR, with value: CBOR?) throws -> CBOR {
        guard case .map(var pairs) = try sample().cbor() else { fatalError() }
        pairs.removeAll { $0.key == key }
        if let value { pairs.append(CBOR.Pair(key, value)) }
        return .map(pairs)
    }

    @Test func roundTrip() throws {
        let token = Self.sample()
        var signed: [UInt8] = []
        let bytes = try token.sign(algorithm: -7, kid: Self.kid) { toBeSigned in
            signed = toBeSigned
            return Self.signature
        }
        let decoded = try SignedStatusListToken(coseBytes: bytes)
        #expect(decoded.token == token)
        #expect(decoded.kid == Self.kid)
        #expect(decoded.algorithm == -7)
        #expect(decoded.sign1.toBeSigned() == signed)
        #expect(decoded.token.list.value(at: 7) == 1)
        #expect(decoded.token.list.value(at: 999) == 2)
        #expect(decoded.token.list.value(at: 8) == 0)
        // The exact wire shape: tag 18, protected {1, 4, 16}, empty unprotected, claims with integer keys.
        #expect(bytes.prefix(2) == [0xd2, 0x84])
        #expect(decoded.sign1.protectedHeader == .map([
            CBOR.Pair(1, -7), CBOR.Pair(4, .bytes(Self.kid)), CBOR.Pair(16, "application/statuslist+cwt"),
        ]))
        let claims = try CBORDecoder.decode(decoded.sign1.payload)
        #expect(claims[2] == "https://issuer.example/v1/status/3")
        #expect(claims[6] == .unsigned(1_760_000_000))
        #expect(claims[4] == .unsigned(1_760_086_400))
        #expect(claims[65534] == .unsigned(300))
        #expect(claims[65533]?["bits"] == .unsigned(2))
        #expect(claims[65533]?.mapValue?.count == 2)
        // Deterministic: signing the same token again gives the same payload.
        let again = try token.sign(algorithm: -7, kid: Self.kid) { _ in Self.signature }
        #expect(again == bytes)
    }

    @Test func largeListsCompressWell() throws {
        var list = StatusList(count: 131_072)
        for index in stride(from: 0, to: 131_072, by: 997) { list[index] = 1 }
        let token = StatusListToken(uri: "u:x", issuedAt: 1, expiresAt: 2, timeToLive: 1, list: list)
        let bytes = try token.sign(algorithm: -8, kid: Self.kid) { _ in Self.signature }
        #expect(bytes.count < 2_000)
        #expect(try SignedStatusListToken(coseBytes: bytes).token == token)
    }

    static let headerRejections: [(String, [CBOR.Pair]?, [CBOR.Pair], FormatError.Code)] = [
        ("no typ", [CBOR.Pair(1, -7), CBOR.Pair(4, .bytes(kid))], [], .malformed),
        ("wrong typ", [CBOR.Pair(1, -7), CBOR.Pair(4, .bytes(kid)), CBOR.Pair(16, "application/cwt")], [], .malformed),
        ("CoAP typ number", [CBOR.Pair(1, -7), CBOR.Pair(4, .bytes(kid)), CBOR.Pair(16, 65533)], [], .malformed),
        ("typ unprotected", [CBOR.Pair(1, -7), CBOR.Pair(4, .bytes(kid))], [CBOR.Pair(16, "application/statuslist+cwt")],
         .malformed),
        ("kid unprotected", [CBOR.Pair(1, -7), CBOR.Pair(16, "application/statuslist+cwt")], [CBOR.Pair(4, .bytes(kid))],
         .malformed),
        ("short kid", [CBOR.Pair(1, -7), CBOR.Pair(4, .bytes([1, 2])), CBOR.Pair(16, "application/statuslist+cwt")], [],
         .malformed),
        ("extra header", [CBOR.Pair(1, -7), CBOR.Pair(4, .bytes(kid)), CBOR.Pair(16, "application/statuslist+cwt"),
                          CBOR.Pair(3, "application/cbor")], [], .malformed),
        ("unprotected content", nil, [CBOR.Pair(33, .bytes([1]))], .malformed),
        ("alg ES384", [CBOR.Pair(1, -35), CBOR.Pair(4, .bytes(kid)), CBOR.Pair(16, "application/statuslist+cwt")], [],
         .unsupportedAlgorithm),
        ("no alg", [CBOR.Pair(4, .bytes(kid)), CBOR.Pair(16, "application/statuslist+cwt")], [], .malformed),
    ]

    @Test(arguments: headerRejections)
    func headersAreStrict(name: String, protected: [CBOR.Pair]?, unprotected: [CBOR.Pair], code: FormatError.Code)
        throws
    {
        let bytes = Self.build(protected: protected, unprotected: unprotected, claims: try Self.sample().cbor())
        #expect(throws: FormatError(code, ""), "\(name)") { _ = try SignedStatusListToken(coseBytes: bytes) }
    }

    static let claimRejections: [(String, CBOR, CBOR?)] = [
        ("no sub", 2, nil), ("sub not text", 2, .bytes([1])), ("empty sub", 2, ""),
        ("long sub", 2, .text(String(repeating: "a", count: 2049))),
        ("no iat", 6, nil), ("negative iat", 6, -1),
        ("no exp", 4, nil), ("exp before iat", 4, .unsigned(1_759_999_999)), ("exp equals iat", 4, .unsigned(1_760_000_000)),
        ("no ttl", 65534, nil), ("zero ttl", 65534, 0), ("float ttl", 65534, .float(300)),
        ("no status_list", 65533, nil),
        ("bits 1", 65533, .map([CBOR.Pair("bits", 1), CBOR.Pair("lst", .bytes([0x78, 0x9c, 0x03, 0, 0, 0, 0, 1]))])),
        ("no lst", 65533, .map([CBOR.Pair("bits", 2)])),
        ("lst not zlib", 65533, .map([CBOR.Pair("bits", 2), CBOR.Pair("lst", .bytes([1, 2, 3]))])),
        ("aggregation_uri", 65533, .map([CBOR.Pair("bits", 2), CBOR.Pair("lst", .bytes([0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1])),
                                         CBOR.Pair("aggregation_uri", "https://x")])),
        ("unknown claim", 1, "https://issuer.example"),
    ]

    @Test(arguments: claimRejections)
    func claimsAreStrict(name: String, key: CBOR, value: CBOR?) throws {
        let bytes = Self.build(claims: try Self.claims(replacing: key, with: value))
        #expect(throws: FormatError(.malformed, ""), "\(name)") { _ = try SignedStatusListToken(coseBytes: bytes) }
    }

    @Test func shapeIsStrict() throws {
        let good = try Self.sample().sign(algorithm: -7, kid: Self.kid) { _ in Self.signature }
        #expect(throws: FormatError(.malformed, "")) { _ = try SignedStatusListToken(coseBytes: good + [0]) }
        #expect(throws: FormatError(.malformed, "")) { _ = try SignedStatusListToken(coseBytes: Array(good.dropFirst())) }
        #expect(throws: FormatError(.malformed, "")) { _ = try SignedStatusListToken(coseBytes: Array(good.dropLast())) }
        let short = Self.build(claims: try Self.sample().cbor(), signature: [UInt8](repeating: 1, count: 63))
        #expect(throws: FormatError(.malformed, "")) { _ = try SignedStatusListToken(coseBytes: short) }
        let notMap = Self.build(claims: .array([1, 2]))
        #expect(throws: FormatError(.malformed, "")) { _ = try SignedStatusListToken(coseBytes: notMap) }
        let tooBig = [UInt8](repeating: 0, count: SignedStatusListToken.maximumEncodedByteCount + 1)
        #expect(throws: FormatError(.payloadTooLarge, "")) { _ = try SignedStatusListToken(coseBytes: tooBig) }
    }

    /// 5 MiB of zeros compress to a few KiB; decoding stops inflating at 4 MiB.
    @Test func inflateBombIsRefused() throws {
        let bomb = try Zlib.compress([UInt8](repeating: 0, count: 5 << 20))
        let bytes = Self.build(claims: try Self.claims(
            replacing: 65533, with: .map([CBOR.Pair("bits", 2), CBOR.Pair("lst", .bytes(bomb))])))
        #expect(bytes.count < 20_000)
        #expect(throws: FormatError(.payloadTooLarge, "")) { _ = try SignedStatusListToken(coseBytes: bytes) }
        // Exactly 4 MiB is the largest list accepted.
        let edge = try Zlib.compress([UInt8](repeating: 0, count: 4 << 20))
        let atLimit = Self.build(claims: try Self.claims(
            replacing: 65533, with: .map([CBOR.Pair("bits", 2), CBOR.Pair("lst", .bytes(edge))])))
        #expect(try SignedStatusListToken(coseBytes: atLimit).token.list.count == 16 << 20)
    }
}
