import Testing
import VouchCore

@Suite struct ClaimsTests {
    static let cti = [UInt8](repeating: 0xab, count: 16)

    static func age(_ thresholds: [Int] = [18]) -> Claims {
        Claims(issuer: "https://id.example.org", expiresAt: 1_800_000_000, issuedAt: 1_790_000_000, tokenID: cti,
               type: .age, ageOver: thresholds, status: StatusReference(index: 4711, uri: "https://id.example.org/v1/status/1"))
    }

    @Test func ageClaimsRoundTripDeterministically() throws {
        let claims = Self.age()
        let bytes = claims.encoded()
        #expect(try Claims(payload: bytes) == claims)
        #expect(try CBORDecoder.decode(bytes).encoded() == bytes)
        // Integer keys first (1, 4, 6, 7, 65535), then text keys by length then bytes.
        let keys = try #require(CBORDecoder.decode(bytes).mapValue).map(\.key)
        #expect(keys == [1, 4, 6, 7, 65535, "vct", "age_over_18"])
    }

    @Test func concessionAndIdentityRoundTrip() throws {
        let concession = Claims(issuer: "i", expiresAt: 2, issuedAt: 1, tokenID: Self.cti, type: .concession,
                                concession: "student")
        #expect(try Claims(payload: concession.encoded()) == concession)
        let identity = Claims(issuer: "i", expiresAt: 2, issuedAt: 1, tokenID: Self.cti, type: .identity,
                              identity: IdentityAttributes(givenName: "Ada", familyName: "Lovelace",
                                                           birthDate: "1815-12-10", nationality: "GB"))
        #expect(try Claims(payload: identity.encoded()) == identity)
    }

    static func mutate(_ edit: (inout [CBOR.Pair]) -> Void) -> [UInt8] {
        guard case .map(var pairs) = age().cbor() else { return [] }
        edit(&pairs)
        return CBOR.map(pairs).encoded()
    }

    @Test(arguments: [
        ("missing exp", mutate { $0.removeAll { $0.key == 4 } }),
        ("missing cti", mutate { $0.removeAll { $0.key == 7 } }),
        ("short cti", mutate { $0.append(.init(7, .bytes([1]))); $0.removeAll { $0.key == 7 && $0.value.bytesValue?.count == 16 } }),
        ("negative exp", mutate { $0.removeAll { $0.key == 4 }; $0.append(.init(4, -5)) }),
        ("float iat", mutate { $0.removeAll { $0.key == 6 }; $0.append(.init(6, .float(1.5))) }),
        ("false age claim", mutate { $0.append(.init("age_over_21", false)) }),
        ("name in an age code", mutate { $0.append(.init("given_name", "Ada")) }),
        ("birth date in an age code", mutate { $0.append(.init("birth_date", "2000-01-01")) }),
        ("unknown claim", mutate { $0.append(.init("colour", "blue")) }),
        ("unknown integer claim", mutate { $0.append(.init(99, 1)) }),
        ("leading zero threshold", mutate { $0.append(.init("age_over_018", true)) }),
        ("vct not text", mutate { $0.removeAll { $0.key == "vct" }; $0.append(.init("vct", 1)) }),
        ("bad status", mutate { $0.removeAll { $0.key == 65535 }; $0.append(.init(65535, ["x"])) }),
        ("no age claim", mutate { $0.removeAll { $0.key == "age_over_18" } }),
    ])
    func rejects(_ name: String, payload: [UInt8]) {
        #expect(throws: FormatError(.malformed, ""), "\(name)") { try Claims(payload: payload) }
    }

    @Test func ageThresholdNames() {
        #expect(Claims.ageThreshold("age_over_18") == 18)
        #expect(Claims.ageThreshold("age_over_150") == 150)
        #expect(Claims.ageThreshold("age_over_151") == nil)
        #expect(Claims.ageThreshold("age_over_") == nil)
        #expect(Claims.ageThreshold("age_over_-1") == nil)
        #expect(Claims.ageThreshold("age_over_1x") == nil)
        #expect(Claims.ageThreshold("age_over_1") == 1)
        #expect(Claims.ageThreshold("age_over_99") == 99)
        for name in ["age_over_0", "age_over_018", "age_over_1000", "age_over_18 ", "Age_over_18", "age_under_18",
                     "age_over_\u{0661}\u{0668}", "age_over_18\u{0301}", "age_over_\u{FF11}\u{FF18}", "age_over"] {
            #expect(Claims.ageThreshold(name) == nil, "\(name)")
        }
    }
}
