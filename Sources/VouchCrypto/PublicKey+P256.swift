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
        case (65, 0x04): try self.init(p256Uncompressed: point)
        case (33, 0x02), (33, 0x03): try self.init(p256Uncompressed: Self.decompressP256(point))
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
        guard algorithm == .es256, let x = bigNumberParameter(OSSL_PKEY_PARAM_EC_PUB_X),
              let y = bigNumberParameter(OSSL_PKEY_PARAM_EC_PUB_Y)
        else { return nil }
        return [0x04] + x + y
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

    /// One coordinate of the EC public point, left-padded to 32 bytes.
    private func bigNumberParameter(_ name: String) -> [UInt8]? {
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

    /// Computes `y` for a compressed point with OpenSSL's EC_POINT code.
    ///
    /// `EC_POINT_oct2point` solves the curve equation for `y` and fails when
    /// `x` has no point on the curve; the result is re-encoded uncompressed.
    private static func decompressP256(_ compressed: [UInt8]) throws -> [UInt8] {
        guard let group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1) else {
            throw CryptoError.openSSL(.internal, "EC_GROUP_new_by_curve_name failed")
        }
        defer { EC_GROUP_free(group) }
        guard let point = EC_POINT_new(group) else { throw CryptoError.openSSL(.internal, "EC_POINT_new failed") }
        defer { EC_POINT_free(point) }
        let decoded = compressed.withOpenSSLBytes { base, count in
            EC_POINT_oct2point(group, point, base, count, nil) == 1
        }
        guard decoded else { throw CryptoError.openSSL(.invalidKey, "P-256 x is not on the curve") }
        var written = 0
        let uncompressed = [UInt8](unsafeUninitializedCapacity: 65) { buffer, initialized in
            written = EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, buffer.baseAddress, 65, nil)
            initialized = written == 65 ? 65 : 0
        }
        guard written == 65 else { throw CryptoError.openSSL(.internal, "EC_POINT_point2oct failed") }
        return uncompressed
    }
}
