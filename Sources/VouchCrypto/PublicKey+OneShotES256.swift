public import VouchCore

extension PublicKey {
    /// Checks a raw ES256 signature (r||s) over `message` under the P-256 key a `cnf` COSE_Key names,
    /// without keeping the key.
    ///
    /// Same answer as `PublicKey(coseKey:)` then ``isValidSignature(_:for:)``,
    /// for a key that checks one signature and is gone (a presentation's
    /// holder key): the point goes into a reused OpenSSL key and verify
    /// context (``P256VerifySlots``) instead of a new `EVP_PKEY`, and the
    /// message is hashed with the SHA-256 fetched once per process. The point
    /// is solved from a sign bit by ``P256Decompression`` and checked by
    /// OpenSSL before the signature is looked at.
    ///
    /// - Throws: `CryptoError.invalidKey` when the point is not on the curve.
    public static func isValidES256Signature(_ signature: [UInt8], for message: [UInt8],
                                             coseKey: COSEKey) throws -> Bool {
        guard let slots = P256VerifySlots.shared else {
            return try PublicKey(coseKey: coseKey).isValidSignature(signature, for: message)
        }
        let y: [UInt8]
        switch coseKey.y {
        case .bytes(let bytes):
            y = bytes
        case .signBit(let odd):
            guard let decompression = P256Decompression.shared else {
                throw CryptoError.openSSL(.internal, "cannot set up P-256 point decompression")
            }
            guard let solved = decompression.y(x: coseKey.x, yIsOdd: odd) else {
                throw CryptoError(code: .invalidKey, reason: "not a P-256 point on the curve")
            }
            y = solved
        }
        let point = [0x04] + coseKey.x + y  // COSEKey has checked both lengths (32)
        let digest = Digest.sha256(message)
        let result = point.withUnsafeBufferPointer { point in
            digest.withUnsafeBufferPointer { digest in
                signature.withUnsafeBufferPointer { raw -> Bool? in
                    guard raw.count == SigningAlgorithm.es256.signatureLength, let base = raw.baseAddress else {
                        return slots.verify(point: point.baseAddress!, signature: nil, 0, digest: digest.baseAddress!)
                    }
                    return ECDSASignature.withDER(fromRaw: base) { der, derCount in
                        slots.verify(point: point.baseAddress!, signature: der, derCount, digest: digest.baseAddress!)
                    } ?? false
                }
            }
        }
        guard let result else { throw CryptoError(code: .invalidKey, reason: "not a P-256 point on the curve") }
        return result
    }
}
