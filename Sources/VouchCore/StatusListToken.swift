/// A Status List Token, CWT form of draft-ietf-oauth-status-list (format.md §4).
///
/// ```
/// COSE_Sign1_Tagged, protected { 1: alg, 4: kid, 16: "application/statuslist+cwt" }, unprotected {}
/// claims { 2 (sub): uri, 6 (iat): uint, 4 (exp): uint, 65534 (ttl): uint,
///          65533 (status_list): { "bits": 2, "lst": bstr zlib(bytes) } }
/// ```
///
/// Encoding is by hand into deterministic CBOR; ``SignedStatusListToken``
/// decodes strictly: every claim above is required, no other is allowed, and
/// the list is inflated under the 4 MiB bound of format.md §2.
public struct StatusListToken: Sendable, Hashable {
    /// The `typ` (16) protected header value.
    public static let mediaType = "application/statuslist+cwt"
    /// Bits per entry in a Vouch list.
    public static let bits = 2
    /// The longest `sub` URI accepted.
    public static let maximumURILength = 2048

    /// `sub`: the URI the list is served at, equal to the `uri` in the attestations that point into it.
    public var uri: String
    /// `iat`, NumericDate seconds.
    public var issuedAt: UInt64
    /// `exp`, NumericDate seconds.
    public var expiresAt: UInt64
    /// `ttl`: seconds a consumer may cache the token before fetching a fresh one.
    public var timeToLive: UInt64
    /// The statuses.
    public var list: StatusList

    public init(uri: String, issuedAt: UInt64, expiresAt: UInt64, timeToLive: UInt64, list: StatusList) {
        self.uri = uri
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.timeToLive = timeToLive
        self.list = list
    }

    /// Claim keys (RFC 8392 and the draft's CWT registrations).
    enum Key {
        static let sub: CBOR = 2
        static let exp: CBOR = 4
        static let iat: CBOR = 6
        static let statusList: CBOR = 65533
        static let ttl: CBOR = 65534
        static let typ: CBOR = 16
    }

    /// The claims as a CBOR map, with the list compressed.
    ///
    /// - Throws: ``ZlibError`` when compression fails.
    public func cbor() throws -> CBOR {
        .map([
            CBOR.Pair(Key.sub, .text(uri)),
            CBOR.Pair(Key.iat, .unsigned(issuedAt)),
            CBOR.Pair(Key.exp, .unsigned(expiresAt)),
            CBOR.Pair(Key.ttl, .unsigned(timeToLive)),
            CBOR.Pair(Key.statusList, .map([
                CBOR.Pair("bits", .unsigned(UInt64(list.bits))),
                CBOR.Pair("lst", .bytes(try list.compressed())),
            ])),
        ])
    }

    /// Signs the token into COSE_Sign1_Tagged bytes.
    ///
    /// - Parameters:
    ///   - algorithm: The COSE `alg` of the key (-7 ES256, -8 EdDSA).
    ///   - kid: The signer's key id (format.md §1: 8 bytes of its certificate's hash).
    ///   - signer: Returns the raw signature over the Sig_structure bytes it is given.
    /// - Returns: The tagged COSE_Sign1 bytes served at ``uri``.
    public func sign(algorithm: Int64, kid: [UInt8], signer: ([UInt8]) throws -> [UInt8]) throws -> [UInt8] {
        let payload = try cbor().encoded()
        return try COSESign1.sign(algorithm: algorithm, kid: kid, payload: payload,
                                  extraProtected: [CBOR.Pair(Key.typ, .text(Self.mediaType))], signer: signer)
            .encoded()
    }
}

/// A decoded, not yet trusted, Status List Token and the COSE structure that carries it.
public struct SignedStatusListToken: Sendable, Hashable {
    /// The largest COSE_Sign1 accepted: an incompressible 4 MiB list plus headers.
    public static let maximumEncodedByteCount = StatusList.maximumByteCount + 64 * 1024

    /// The bytes as received.
    public let coseBytes: [UInt8]
    public let sign1: COSESign1
    public let token: StatusListToken

    /// Decodes COSE_Sign1_Tagged bytes as far as the inflated list, strictly.
    ///
    /// - Parameters:
    ///   - coseBytes: The token as served (`application/statuslist+cwt`).
    ///   - maximumListBytes: The largest inflated list accepted (at most 4 MiB).
    /// - Throws: ``FormatError``: `.payloadTooLarge` for a token or an inflated list
    ///   over its limit, `.unsupportedAlgorithm` for an `alg` other than -7 or -8,
    ///   `.malformed` for anything else out of shape (a missing, extra or
    ///   mistyped header or claim, a `typ` other than `application/statuslist+cwt`,
    ///   bits other than 2, `exp` not after `iat`, a `ttl` of 0).
    public init(coseBytes: [UInt8], maximumListBytes: Int = StatusList.maximumByteCount) throws(FormatError) {
        guard coseBytes.count <= Self.maximumEncodedByteCount else {
            throw FormatError(.payloadTooLarge, "status list token is larger than \(Self.maximumEncodedByteCount) bytes")
        }
        let sign1 = try COSESign1(tagged: coseBytes)
        try Self.checkHeaders(sign1)
        self.coseBytes = coseBytes
        self.sign1 = sign1
        self.token = try Self.claims(sign1.payload, maximumListBytes: maximumListBytes)
    }

    public var kid: [UInt8] { sign1.kid ?? [] }
    public var algorithm: Int64 { sign1.algorithm ?? 0 }

    private static func checkHeaders(_ sign1: COSESign1) throws(FormatError) {
        guard case .map(let header) = sign1.protectedHeader else { throw .malformed("protected header must be a map") }
        guard let alg = sign1.protectedHeader[1] else { throw .malformed("protected header has no alg") }
        guard alg == .int(-7) || alg == .int(-8) else {
            throw FormatError(.unsupportedAlgorithm, "alg \(alg.diagnostic) is not ES256 (-7) or EdDSA (-8)")
        }
        guard let kid = sign1.kid, kid.count == 8 else { throw .malformed("protected header needs an 8-byte kid") }
        guard sign1.protectedHeader[key: StatusListToken.Key.typ] == .text(StatusListToken.mediaType) else {
            throw .malformed("protected header typ (16) must be \"\(StatusListToken.mediaType)\"")
        }
        guard header.count == 3 else { throw .malformed("protected header may hold only alg, kid and typ") }
        guard sign1.unprotectedHeader.isEmpty else { throw .malformed("unprotected header must be empty") }
        guard sign1.signature.count == 64 else {
            throw .malformed("signature must be 64 bytes, got \(sign1.signature.count)")
        }
    }

    private static func claims(_ payload: [UInt8], maximumListBytes: Int) throws(FormatError) -> StatusListToken {
        let item: CBOR
        do {
            item = try CBORDecoder.decode(payload)
        } catch {
            throw .malformed("status list claims: \(error)")
        }
        guard case .map(let pairs) = item else { throw .malformed("status list claims must be a map") }
        typealias Key = StatusListToken.Key
        guard pairs.count == 5 else { throw .malformed("status list claims must be exactly sub, iat, exp, ttl and status_list") }
        guard case .text(let uri)? = item[key: Key.sub], !uri.isEmpty,
              uri.utf8.count <= StatusListToken.maximumURILength
        else { throw .malformed("claim sub (2) must be a URI of 1 to \(StatusListToken.maximumURILength) bytes") }
        guard case .unsigned(let iat)? = item[key: Key.iat] else {
            throw .malformed("claim iat (6) must be an unsigned integer")
        }
        guard case .unsigned(let exp)? = item[key: Key.exp], exp > iat else {
            throw .malformed("claim exp (4) must be an unsigned integer after iat")
        }
        guard case .unsigned(let ttl)? = item[key: Key.ttl], ttl > 0 else {
            throw .malformed("claim ttl (65534) must be a positive integer")
        }
        guard let statusList = item[key: Key.statusList], case .map(let fields) = statusList, fields.count == 2,
              case .unsigned(let bits)? = statusList["bits"], case .bytes(let lst)? = statusList["lst"]
        else { throw .malformed("claim status_list (65533) must be {\"bits\": uint, \"lst\": bstr}") }
        guard bits == UInt64(StatusListToken.bits) else {
            throw .malformed("status_list bits must be \(StatusListToken.bits)")
        }
        let list = try StatusList(compressed: lst, bits: StatusListToken.bits, maximumByteCount: maximumListBytes)
        return StatusListToken(uri: uri, issuedAt: iat, expiresAt: exp, timeToLive: ttl, list: list)
    }
}
