internal import CRawOpenSSL

/// An OpenSSL key used the way a hand-written C caller would use it: the key is
/// parsed once, each operation gets a fresh `EVP_MD_CTX`, ECDSA signatures are
/// OpenSSL's native DER, and no Vouch code is in between.
///
/// This is the yardstick the benchmarks divide by, so it deliberately does
/// nothing but the C calls: no conversion to COSE's r||s form, no error-queue
/// draining beyond what a failed operation needs.
public final class RawKey: @unchecked Sendable {
    // @unchecked: the EVP_PKEY is never mutated after init, and every
    // operation uses its own EVP_MD_CTX, which is what OpenSSL 3 requires for
    // using one key from several threads.
    private let pkey: OpaquePointer
    /// Whether the key is Ed25519 (PureEdDSA, no digest); otherwise P-256 with SHA-256.
    public let isEd25519: Bool

    /// Parses a DER PKCS#8 `PrivateKeyInfo`.
    public convenience init(privateKeyDER der: [UInt8]) throws(RawError) {
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw RawError("d2i_AutoPrivateKey failed") }
        self.init(taking: parsed)
    }

    /// Parses a DER `SubjectPublicKeyInfo`.
    public convenience init(publicKeyDER der: [UInt8]) throws(RawError) {
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw RawError("d2i_PUBKEY failed") }
        self.init(taking: parsed)
    }

    /// Imports a SEC1 P-256 point (33-byte compressed or 65-byte uncompressed) with `EVP_PKEY_fromdata`,
    /// the OpenSSL 3 way a C program turns a COSE_Key's point into a key (OpenSSL decompresses it).
    public convenience init(p256Point point: [UInt8]) throws(RawError) {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { throw RawError("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_fromdata_init(context) == 1 else { throw RawError("EVP_PKEY_fromdata_init") }
        var imported: OpaquePointer?
        let status = point.withUnsafeBufferPointer { bytes -> Int32 in
            "group".withCString { groupKey in
                "P-256".withCString { group in
                    "pub".withCString { pubKey in
                        var params = [
                            OSSL_PARAM_construct_utf8_string(groupKey, UnsafeMutablePointer(mutating: group), 0),
                            OSSL_PARAM_construct_octet_string(pubKey, UnsafeMutableRawPointer(mutating: bytes.baseAddress),
                                                              bytes.count),
                            OSSL_PARAM_construct_end(),
                        ]
                        // EVP_PKEY_PUBLIC_KEY (a compound macro Swift does not import).
                        let selection = Int32(OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
                        return EVP_PKEY_fromdata(context, &imported, selection, &params)
                    }
                }
            }
        }
        guard status == 1, let imported else { throw RawError("EVP_PKEY_fromdata of the P-256 point failed") }
        self.init(taking: imported)
    }

    private init(taking pkey: OpaquePointer) {
        self.pkey = pkey
        self.isEd25519 = EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Signs `message` with one `EVP_DigestSign` call into a stack buffer, as C would.
    ///
    /// - Returns: the signature length, or 0 when OpenSSL failed.
    public func sign(_ message: [UInt8]) -> Int {
        guard let context = EVP_MD_CTX_new() else { return 0 }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, isEd25519 ? nil : EVP_sha256(), nil, pkey) == 1 else { return 0 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 80) { signature in
            var length = signature.count
            let ok = message.withUnsafeBufferPointer { msg in
                EVP_DigestSign(context, signature.baseAddress, &length, msg.baseAddress, msg.count)
            }
            return ok == 1 ? length : 0
        }
    }

    /// Verifies `signature` (DER for P-256) over `message` with one `EVP_DigestVerify` call.
    public func verify(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, isEd25519 ? nil : EVP_sha256(), nil, pkey) == 1 else {
            return false
        }
        let ok = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
            }
        }
        if ok != 1 { ERR_clear_error() }
        return ok == 1
    }
}

/// Conversions a C caller does once, outside any measured loop.
public enum RawECDSA {
    /// The DER `ECDSA-Sig-Value` of a 64-byte COSE r||s signature.
    public static func der(fromRaw raw: [UInt8]) throws(RawError) -> [UInt8] {
        guard raw.count == 64 else { throw RawError("an ES256 signature is 64 bytes, got \(raw.count)") }
        guard let sig = ECDSA_SIG_new() else { throw RawError("ECDSA_SIG_new failed") }
        defer { ECDSA_SIG_free(sig) }
        let r = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, 32, nil) }
        let s = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + 32, 32, nil) }
        guard let r, let s, ECDSA_SIG_set0(sig, r, s) == 1 else { throw RawError("ECDSA_SIG_set0 failed") }
        let length = i2d_ECDSA_SIG(sig, nil)
        guard length > 0 else { throw RawError("i2d_ECDSA_SIG failed") }
        var der = [UInt8](repeating: 0, count: Int(length))
        der.withUnsafeMutableBufferPointer { buffer in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = i2d_ECDSA_SIG(sig, &cursor)
        }
        return der
    }
}
