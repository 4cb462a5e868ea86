internal import CRawOpenSSL

/// SHA-256 through libcrypto the way a careful C caller uses it: the `EVP_MD`
/// fetched once and one `EVP_MD_CTX` re-initialised for every hash, so a call
/// allocates nothing and looks nothing up. (OpenSSL 3's one-shot `SHA256()`
/// and the legacy `EVP_sha256()` handle fetch the algorithm on every call,
/// which makes a slower, and so too lenient, baseline.)
///
/// Not `Sendable`: the context is reused, so one instance serves one thread.
public final class RawSHA256 {
    private let algorithm: OpaquePointer
    private let context: OpaquePointer

    public init() throws(RawError) {
        guard let algorithm = EVP_MD_fetch(nil, "SHA256", nil) else { throw RawError("EVP_MD_fetch(SHA256) failed") }
        guard let context = EVP_MD_CTX_new() else {
            EVP_MD_free(algorithm)
            throw RawError("EVP_MD_CTX_new failed")
        }
        self.algorithm = algorithm
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
        EVP_MD_free(algorithm)
    }

    /// Hashes `message` into a stack buffer.
    ///
    /// - Returns: the first byte of the digest (so that the call cannot be
    ///   optimised away), or 0 when OpenSSL failed.
    public func hash(_ message: [UInt8]) -> UInt8 {
        guard EVP_DigestInit_ex2(context, algorithm, nil) == 1 else { return 0 }
        let updated = message.withUnsafeBufferPointer { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        guard updated == 1 else { return 0 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(EVP_MAX_MD_SIZE)) { digest in
            var length: UInt32 = 0
            guard EVP_DigestFinal_ex(context, digest.baseAddress, &length) == 1, length == 32 else { return 0 }
            return digest[0]
        }
    }
}
