internal import COpenSSL

/// Converts ECDSA P-256 signatures between OpenSSL's DER and COSE's raw r||s.
///
/// COSE (RFC 9053 §2.1) carries r and s as two 32-byte big-endian integers;
/// OpenSSL signs and verifies the ASN.1 `ECDSA-Sig-Value`. Range checks
/// (0 < r, s < n) are left to OpenSSL's verifier, which sees exactly the
/// integers the raw form encodes.
enum ECDSASignature {
    /// Bytes per coordinate for P-256.
    static let scalarLength = 32
    /// Largest DER `ECDSA-Sig-Value` for P-256: two 33-byte INTEGERs plus headers.
    static let maximumDERLength = 72

    /// Converts a DER signature produced by OpenSSL to 64 raw bytes.
    ///
    /// - Throws: `CryptoError.signingFailed` if the DER cannot be decoded or a
    ///   coordinate does not fit in 32 bytes.
    static func rawFromDER(_ der: [UInt8]) throws -> [UInt8] {
        let signature = der.withOpenSSLBytes { base, count -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = base
            return d2i_ECDSA_SIG(nil, &cursor, count)
        }
        guard let signature else {
            throw CryptoError.openSSL(.signingFailed, "cannot decode ECDSA signature")
        }
        defer { ECDSA_SIG_free(signature) }
        var r: OpaquePointer?
        var s: OpaquePointer?
        ECDSA_SIG_get0(signature, &r, &s)
        var ok = true
        let raw = [UInt8](unsafeUninitializedCapacity: 2 * scalarLength) { buffer, initialized in
            let base = buffer.baseAddress!
            ok = BN_bn2binpad(r, base, Int32(scalarLength)) == scalarLength
                && BN_bn2binpad(s, base + scalarLength, Int32(scalarLength)) == scalarLength
            if !ok { buffer.initialize(repeating: 0) }
            initialized = buffer.count
        }
        guard ok else {
            throw CryptoError.openSSL(.signingFailed, "ECDSA coordinate longer than 32 bytes")
        }
        return raw
    }

    /// Re-encodes a raw r||s signature as DER and hands it to `body`.
    ///
    /// The DER lives in a stack buffer that is only valid inside `body`.
    ///
    /// - Parameters:
    ///   - raw: Pointer to exactly 64 bytes.
    ///   - body: Receives the DER bytes and their length.
    /// - Returns: `body`'s result, or `nil` if OpenSSL could not build the DER.
    static func withDER<R>(
        fromRaw raw: UnsafePointer<UInt8>,
        _ body: (UnsafePointer<UInt8>, Int) -> R
    ) -> R? {
        guard let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        guard let r = BN_bin2bn(raw, Int32(scalarLength), nil) else { return nil }
        guard let s = BN_bin2bn(raw + scalarLength, Int32(scalarLength), nil) else {
            BN_free(r)
            return nil
        }
        // ECDSA_SIG_set0 takes ownership of r and s only when it succeeds.
        guard ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumDERLength) {
            buffer -> R? in
            // r and s came from 32 bytes each, so the DER fits in 72 bytes.
            guard let base = buffer.baseAddress else { return nil }
            var cursor: UnsafeMutablePointer<UInt8>? = base
            let length = Int(i2d_ECDSA_SIG(signature, &cursor))
            guard length > 0 else { return nil }
            return body(UnsafePointer(base), length)
        }
    }
}
