internal import COpenSSL
public import VouchCore

/// P-256 public keys in the forms holder binding uses (format.md §6).
///
/// A wallet's key arrives as SEC1 bytes (WebCrypto `exportKey('raw')` gives
/// the 65-byte uncompressed point) and travels in a code as a COSE_Key whose
/// `y` is only a sign bit. Every form is normalised to the uncompressed point
/// before OpenSSL parses it, so that a key compares equal however it came,
/// and OpenSSL refuses a point that is not on the curve.
extension PublicKey {
    /// Creates a P-256 key from SEC1 bytes: 65 uncompressed (`04 || x || y`) or 33 compressed (`02|03 || x`).
    ///
    /// - Throws: `CryptoError.invalidKey` for another length or prefix, or a point not on the curve.
    public init(p256SEC1 point: [UInt8]) throws {
        switch (point.count, point.first) {
        case (65, 0x04):
            self.init(key: try Self.importP256Point(point), spkiDER: Self.p256SPKIPrefix + point)
        case (33, 0x02), (33, 0x03):
            // y from x and its parity (P256Decompression, OpenSSL BIGNUMs); OpenSSL then checks the whole point again.
            let x = Array(point[1...])
            guard let decompression = P256Decompression.shared else {
                throw CryptoError.openSSL(.internal, "cannot set up P-256 point decompression")
            }
            guard let y = decompression.y(x: x, yIsOdd: point[0] == 0x03) else {
                throw CryptoError(code: .invalidKey, reason: "not a P-256 point on the curve")
            }
            let full = [0x04] + x + y
            self.init(key: try Self.importP256Point(full), spkiDER: Self.p256SPKIPrefix + full)
        default:
            throw CryptoError(code: .invalidKey,
                              reason: "P-256 public key must be 65 bytes (04 x y) or 33 bytes (02|03 x)")
        }
    }

    /// Creates a P-256 key from its `x` coordinate and the parity of `y` (RFC 9053 §7.1.1).
    ///
    /// - Throws: `CryptoError.invalidKey` unless `x` is 32 bytes naming a point on the curve.
    public init(p256X x: [UInt8], yIsOdd: Bool) throws {
        guard x.count == 32 else { throw CryptoError(code: .invalidKey, reason: "P-256 x must be 32 bytes") }
        try self.init(p256SEC1: [yIsOdd ? 0x03 : 0x02] + x)
    }

    /// Creates a P-256 key from both 32-byte coordinates.
    ///
    /// - Throws: `CryptoError.invalidKey` unless both are 32 bytes and the point is on the curve.
    public init(p256X x: [UInt8], y: [UInt8]) throws {
        guard x.count == 32, y.count == 32 else {
            throw CryptoError(code: .invalidKey, reason: "P-256 x and y must be 32 bytes each")
        }
        try self.init(p256Uncompressed: [0x04] + x + y)
    }

    /// Creates the key a `cnf` COSE_Key names.
    ///
    /// - Throws: `CryptoError.invalidKey` when the point is not on the curve.
    public init(coseKey: COSEKey) throws {
        switch coseKey.y {
        case .signBit(let odd): try self.init(p256X: coseKey.x, yIsOdd: odd)
        case .bytes(let y): try self.init(p256X: coseKey.x, y: y)
        }
    }

    /// The 65-byte uncompressed SEC1 point `04 || x || y`; `nil` unless this is a P-256 key.
    public var p256Uncompressed: [UInt8]? {
        guard algorithm == .es256 else { return nil }
        return Self.uncompressedPoint(of: key)
    }

    /// The 33-byte compressed SEC1 point `02|03 || x`; `nil` unless this is a P-256 key.
    public var p256Compressed: [UInt8]? {
        guard let point = p256Uncompressed else { return nil }
        return [point[64] & 1 == 1 ? 0x03 : 0x02] + point[1..<33]
    }

    /// The key as a compressed COSE_Key for `cnf` (what issuers write); `nil` unless this is a P-256 key.
    public var coseKey: COSEKey? {
        guard let point = p256Uncompressed else { return nil }
        return try? COSEKey(x: Array(point[1..<33]), y: .signBit(point[64] & 1 == 1))
    }

    /// A P-256 key with no private part, holding the generator: what ``importP256Point(_:)`` and
    /// ``P256VerifySlots`` copy.
    static let p256Template: EVPKey? = {
        let generator: [UInt8] = [
            0x04, // G's x, then y (SEC 2 §2.4.2)
            0x6B, 0x17, 0xD1, 0xF2, 0xE1, 0x2C, 0x42, 0x47, 0xF8, 0xBC, 0xE6, 0xE5, 0x63, 0xA4, 0x40, 0xF2,
            0x77, 0x03, 0x7D, 0x81, 0x2D, 0xEB, 0x33, 0xA0, 0xF4, 0xA1, 0x39, 0x45, 0xD8, 0x98, 0xC2, 0x96,
            0x4F, 0xE3, 0x42, 0xE2, 0xFE, 0x1A, 0x7F, 0x9B, 0x8E, 0xE7, 0xEB, 0x4A, 0x7C, 0x0F, 0x9E, 0x16,
            0x2B, 0xCE, 0x33, 0x57, 0x6B, 0x31, 0x5E, 0xCE, 0xCB, 0xB6, 0x40, 0x68, 0x37, 0xBF, 0x51, 0xF5,
        ]
        return try? EVPKey(taking: importP256(generator))
    }()

    /// Imports an uncompressed SEC1 point as a P-256 key: a copy of ``p256Template`` given this point.
    ///
    /// `EVP_PKEY_fromdata` builds the curve group from its name for every key
    /// (about 135k instructions); `EVP_PKEY_dup` copies the template's group
    /// instead, and `EVP_PKEY_set1_encoded_public_key` sets the point, which
    /// OpenSSL refuses unless it is on the curve.
    ///
    /// - Throws: `CryptoError.invalidKey` for a point that is not on the curve.
    static func importP256Point(_ point: [UInt8]) throws -> EVPKey {
        guard let template = p256Template, let copy = EVP_PKEY_dup(template.pointer) else {
            return try EVPKey(taking: importP256(point))
        }
        let key = EVPKey(taking: copy, algorithm: .es256)
        guard EVP_PKEY_set1_encoded_public_key(copy, point, point.count) == 1 else {
            OpenSSL.clearErrors()
            throw CryptoError(code: .invalidKey, reason: "not a P-256 point on the curve")
        }
        return key
    }

    /// `04 || x || y` of an EC key, from its coordinates as OpenSSL holds them.
    private static func uncompressedPoint(of key: EVPKey) -> [UInt8]? {
        // One call when OpenSSL holds the key in uncompressed form (the default), else both coordinates.
        var length = 0
        var encoded = [UInt8](repeating: 0, count: 65)
        if EVP_PKEY_get_octet_string_param(key.pointer, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, &encoded, 65, &length) == 1,
           length == 65, encoded[0] == 0x04 {
            return encoded
        }
        OpenSSL.clearErrors()
        guard let x = coordinate(key, OSSL_PKEY_PARAM_EC_PUB_X), let y = coordinate(key, OSSL_PKEY_PARAM_EC_PUB_Y)
        else { return nil }
        return [0x04] + x + y
    }

    /// One coordinate of the EC public point, left-padded to 32 bytes.
    private static func coordinate(_ key: EVPKey, _ name: String) -> [UInt8]? {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key.pointer, name, &number) == 1, let number else {
            OpenSSL.clearErrors()
            return nil
        }
        defer { BN_free(number) }
        var ok = false
        let bytes = [UInt8](unsafeUninitializedCapacity: 32) { buffer, initialized in
            ok = BN_bn2binpad(number, buffer.baseAddress, 32) == 32
            initialized = ok ? 32 : 0
        }
        return ok ? bytes : nil
    }

    /// `EVP_PKEY_PUBLIC_KEY`, a compound macro Swift does not import: the public key and its parameters.
    private static var publicKeySelection: Int32 {
        Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
    }

    /// Imports a SEC1 point (compressed or not) as a P-256 public key with `EVP_PKEY_fromdata`.
    ///
    /// The provider decodes the point itself (solving for `y` when it is
    /// compressed) and refuses a point that is not on the curve; P-256 has
    /// cofactor 1, so a point on the curve is in the group. This skips the DER
    /// decoder framework that `d2i_PUBKEY` goes through, which costs more than
    /// the signature check a presentation needs the key for.
    private static func importP256(_ point: [UInt8]) throws -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw CryptoError.openSSL(.internal, "cannot create an EC key context")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_fromdata_init(context) == 1 else { throw CryptoError.openSSL(.internal, "EVP_PKEY_fromdata_init failed") }
        var imported: OpaquePointer?
        let status = point.withUnsafeBufferPointer { bytes -> Int32 in
            OSSL_PKEY_PARAM_GROUP_NAME.withCString { groupKey in
                "P-256".withCString { group in
                    OSSL_PKEY_PARAM_PUB_KEY.withCString { pubKey in
                        var params = [
                            OSSL_PARAM_construct_utf8_string(groupKey, UnsafeMutablePointer(mutating: group), 0),
                            OSSL_PARAM_construct_octet_string(pubKey, UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                                                              bytes.count),
                            OSSL_PARAM_construct_end(),
                        ]
                        return EVP_PKEY_fromdata(context, &imported, Self.publicKeySelection, &params)
                    }
                }
            }
        }
        guard status == 1, let imported else { throw CryptoError.openSSL(.invalidKey, "not a P-256 point on the curve") }
        return imported
    }
}
