import Testing
import VouchCore
import VouchLog

/// Log entries (format.md §5): deterministic, strict, nothing personal.
@Suite struct LogEntryTests {
    static let kid: [UInt8] = Array(0x10..<0x18)
    static let token = [UInt8](repeating: 0xaa, count: 32)
    static let subject = [UInt8](repeating: 0x55, count: 32)
    static let cert = [UInt8](repeating: 0xcc, count: 32)

    static func map(_ pairs: [(String, CBOR)]) -> [UInt8] {
        CBOR.map(pairs.map { CBOR.Pair(.text($0.0), $0.1) }).encoded()
    }

    static let fullAttestation: [(String, CBOR)] = [
        ("event", "issued"), ("time", .unsigned(1_700_000_000)), ("kid", .bytes(kid)),
        ("token", .bytes(token)), ("vct", "age"), ("status_list", .unsigned(3)),
        ("status_idx", .unsigned(4711)), ("subject", .bytes(subject)),
    ]

    @Test func attestationEntryRoundTrips() throws {
        let entry = try LogEntry.attestation(.issued, time: 1_700_000_000, kid: Self.kid, token: Self.token, type: .age,
                                             status: .init(list: 3, index: 4711), subject: Self.subject)
        let bytes = entry.encoded()
        #expect(bytes == Self.map(Self.fullAttestation))
        #expect(try LogEntry(cbor: bytes) == entry)
        #expect(entry.leafHash == MerkleHash.leaf(bytes))
        #expect(entry.token == Self.token && entry.type == .age && entry.subject == Self.subject)
        #expect(entry.status == LogEntry.StatusSlot(list: 3, index: 4711) && entry.certificate == nil)
    }

    @Test func encodingIsDeterministicCBOR() throws {
        let entry = try LogEntry.attestation(.revoked, time: 5, kid: Self.kid, token: Self.token, type: .identity)
        // Keys sorted by their encoded bytes: shorter first, then bytewise (RFC 8949 §4.2.1).
        let expected = "a5" + "636b6964" + "48" + Self.kid.hexString + "63766374" + "686964656e74697479"
            + "6474696d65" + "05" + "656576656e74" + "677265766f6b6564" + "65746f6b656e" + "5820" + Self.token.hexString
        #expect(entry.encoded().hexString == expected)
    }

    @Test func keyEntryRoundTrips() throws {
        for event in [LogEntry.Event.keyAdded, .keyRetired] {
            let entry = try LogEntry.key(event, time: 0, kid: Self.kid, certificate: Self.cert)
            #expect(try LogEntry(cbor: entry.encoded()) == entry)
            #expect(entry.encoded() == Self.map([("event", .text(event.rawValue)), ("time", 0), ("kid", .bytes(Self.kid)),
                                                 ("cert", .bytes(Self.cert))]))
        }
    }

    @Test func everyAttestationEventRoundTrips() throws {
        for event in LogEntry.Event.allCases where !event.isKeyEvent {
            for type in AttestationType.known {
                let entry = try LogEntry.attestation(event, time: .max, kid: Self.kid, token: Self.token, type: type)
                #expect(try LogEntry(cbor: entry.encoded()) == entry)
            }
        }
    }

    @Test func constructionRejectsWhatTheFormatForbids() {
        let bad = LogError(.malformedEntry, "")
        #expect(throws: bad) { try LogEntry.attestation(.keyAdded, time: 0, kid: Self.kid, token: Self.token, type: .age) }
        #expect(throws: bad) { try LogEntry.key(.issued, time: 0, kid: Self.kid, certificate: Self.cert) }
        #expect(throws: bad) { try LogEntry.attestation(.issued, time: 0, kid: [1, 2], token: Self.token, type: .age) }
        #expect(throws: bad) { try LogEntry.attestation(.issued, time: 0, kid: Self.kid, token: [1], type: .age) }
        #expect(throws: bad) {
            try LogEntry.attestation(.issued, time: 0, kid: Self.kid, token: Self.token, type: .age, subject: [1])
        }
        // vct is a closed set: free text (a name) cannot be smuggled in as a type.
        #expect(throws: bad) {
            try LogEntry.attestation(.issued, time: 0, kid: Self.kid, token: Self.token,
                                     type: AttestationType(rawValue: "Jane Doe"))
        }
        #expect(throws: bad) { try LogEntry.key(.keyAdded, time: 0, kid: Self.kid, certificate: Array(Self.cert.dropLast())) }
    }

    static func replacing(_ key: String, with value: CBOR?) -> [UInt8] {
        var pairs = fullAttestation.filter { $0.0 != key }
        if let value { pairs.append((key, value)) }
        return map(pairs)
    }

    static let malformed: [(String, [UInt8])] = [
        ("not a map", CBOR.array([]).encoded()),
        ("empty", []),
        ("unknown key", map(fullAttestation + [("name", "Jane Doe")])),
        ("integer key", CBOR.map(fullAttestation.map { CBOR.Pair(.text($0.0), $0.1) } + [CBOR.Pair(1, 2)]).encoded()),
        ("missing event", replacing("event", with: nil)),
        ("unknown event", replacing("event", with: "created")),
        ("missing time", replacing("time", with: nil)),
        ("negative time", replacing("time", with: .negative(0))),
        ("text time", replacing("time", with: "now")),
        ("missing kid", replacing("kid", with: nil)),
        ("text kid", replacing("kid", with: "kid")),
        ("long kid", replacing("kid", with: .bytes(Array(repeating: 1, count: 9)))),
        ("missing token", replacing("token", with: nil)),
        ("short token", replacing("token", with: .bytes(Array(repeating: 1, count: 31)))),
        ("missing vct", replacing("vct", with: nil)),
        ("unknown vct", replacing("vct", with: "passport")),
        ("bytes vct", replacing("vct", with: .bytes([0x61]))),
        ("status_list alone", replacing("status_idx", with: nil)),
        ("status_idx alone", replacing("status_list", with: nil)),
        ("text status", replacing("status_idx", with: "1")),
        ("short subject", replacing("subject", with: .bytes([1]))),
        ("text subject", replacing("subject", with: .text(String(repeating: "a", count: 32)))),
        ("cert on an attestation", map(fullAttestation + [("cert", .bytes(cert))])),
        ("token on a key event", map([("event", "key_added"), ("time", 0), ("kid", .bytes(kid)), ("cert", .bytes(cert)),
                                      ("token", .bytes(token))])),
        ("key event without cert", map([("event", "key_retired"), ("time", 0), ("kid", .bytes(kid))])),
        ("trailing byte", map(fullAttestation) + [0x00]),
        ("truncated", Array(map(fullAttestation).dropLast())),
        ("too long", map(fullAttestation.filter { $0.0 != "subject" } + [("subject", .bytes(Array(repeating: 1, count: 600)))])),
    ]

    @Test(arguments: malformed.indices)
    func strictDecodingRejects(index: Int) {
        let (name, bytes) = Self.malformed[index]
        #expect(throws: LogError(.malformedEntry, ""), "\(name)") { try LogEntry(cbor: bytes) }
    }

    @Test func onlyTheDeterministicEncodingIsAccepted() throws {
        let canonical = try LogEntry.key(.keyAdded, time: 5, kid: Self.kid, certificate: Self.cert).encoded()
        // time 5 as a four-byte argument instead of inline.
        var long = canonical
        let timeValue = try #require(long.firstIndex(of: 0x05))
        long.replaceSubrange(timeValue...timeValue, with: [0x1a, 0, 0, 0, 5])
        #expect(throws: LogError(.malformedEntry, "")) { try LogEntry(cbor: long) }
        // Keys out of order: the same map, written unsorted by hand.
        var unsorted: [UInt8] = [0xa4]
        for (key, value) in [("event", CBOR.text("key_added")), ("time", 5), ("kid", .bytes(Self.kid)), ("cert", .bytes(Self.cert))] {
            unsorted += CBOR.text(key).encoded() + value.encoded()
        }
        #expect(throws: LogError(.malformedEntry, "")) { try LogEntry(cbor: unsorted) }
        // Indefinite-length map and duplicate key.
        #expect(throws: LogError(.malformedEntry, "")) { try LogEntry(cbor: [0xbf] + Array(canonical.dropFirst()) + [0xff]) }
        let duplicate = [0xa5] + Array(canonical.dropFirst()) + CBOR.text("time").encoded() + CBOR.unsigned(5).encoded()
        #expect(throws: LogError(.malformedEntry, "")) { try LogEntry(cbor: duplicate) }
    }

    @Test func subjectPseudonymIsHMACSHA256() throws {
        // RFC 4231 test case 2 has a 4-byte key; case 1 (key 0x0b * 20, "Hi There") fits the minimum.
        let mac = try LogEntry.subjectPseudonym(secret: Array(repeating: 0x0b, count: 20), reference: "Hi There")
        #expect(mac.hexString == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(throws: LogError(.invalidKey, "")) { try LogEntry.subjectPseudonym(secret: [1, 2, 3], reference: "x") }
        let secret = [UInt8](repeating: 7, count: 32)
        #expect(try LogEntry.subjectPseudonym(secret: secret, reference: "customer-1")
            != LogEntry.subjectPseudonym(secret: secret, reference: "customer-2"))
    }
}
