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
    /// Parsed by hand (no BIGNUM allocations on the signing path): the input is
    /// OpenSSL's own output, `SEQUENCE { INTEGER r, INTEGER s }` in short-form
    /// lengths, and anything else is refused.
    ///
    /// - Throws: `CryptoError.signingFailed` if the DER cannot be decoded or a
    ///   coordinate does not fit in 32 bytes.
    static func rawFromDER(_ der: [UInt8]) throws -> [UInt8] {
        func fail(_ reason: String) -> CryptoError { CryptoError(code: .signingFailed, reason: reason) }
        guard der.count >= 8, der.count <= maximumDERLength, der[0] == 0x30, Int(der[1]) == der.count - 2 else {
            throw fail("cannot decode ECDSA signature")
        }
        var raw = [UInt8](repeating: 0, count: 2 * scalarLength)
        var position = 2
        for coordinate in 0..<2 {
            guard position + 2 <= der.count, der[position] == 0x02 else { throw fail("cannot decode ECDSA signature") }
            let length = Int(der[position + 1])
            let start = position + 2
            guard length >= 1, start + length <= der.count else { throw fail("cannot decode ECDSA signature") }
            var first = start
            while first < start + length - 1 && der[first] == 0 { first += 1 }
            let significant = start + length - first
            guard significant <= scalarLength else { throw fail("ECDSA coordinate longer than 32 bytes") }
            let offset = coordinate * scalarLength + scalarLength - significant
            for i in 0..<significant { raw[offset + i] = der[first + i] }
            position = start + length
        }
        guard position == der.count else { throw fail("cannot decode ECDSA signature") }
        return raw
    }

    /// Re-encodes a raw r||s signature as DER and hands it to `body`.
    ///
    /// Built by hand in a stack buffer (no BIGNUMs per verify): each coordinate
    /// becomes a minimal DER INTEGER, with a 0x00 prefix when its top bit is
    /// set. Range checks stay with OpenSSL's verifier, which sees exactly
    /// these integers.
    ///
    /// - Parameters:
    ///   - raw: Pointer to exactly 64 bytes.
    ///   - body: Receives the DER bytes and their length.
    static func withDER<R>(
        fromRaw raw: UnsafePointer<UInt8>,
        _ body: (UnsafePointer<UInt8>, Int) -> R
    ) -> R? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumDERLength) { buffer -> R? in
            guard let base = buffer.baseAddress else { return nil }
            var length = 2
            for coordinate in 0..<2 {
                let value = raw + coordinate * scalarLength
                var first = 0
                while first < scalarLength - 1 && value[first] == 0 { first += 1 }
                let pad = value[first] & 0x80 != 0 ? 1 : 0
                let integerLength = scalarLength - first + pad
                base[length] = 0x02
                base[length + 1] = UInt8(integerLength)
                length += 2
                if pad == 1 {
                    base[length] = 0
                    length += 1
                }
                for i in first..<scalarLength {
                    base[length] = value[i]
                    length += 1
                }
            }
            base[0] = 0x30
            base[1] = UInt8(length - 2)
            return body(UnsafePointer(base), length)
        }
    }
}
