internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG.
public enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// - Parameter count: Zero or more; at most `Int32.max`.
    /// - Throws: `CryptoError.randomFailed` if the generator is not seeded or
    ///   fails, or `count` is out of range.
    public static func bytes(count: Int) throws -> [UInt8] {
        guard (0...Int(Int32.max)).contains(count) else {
            throw CryptoError(code: .randomFailed, reason: "cannot produce \(count) random bytes")
        }
        guard count > 0 else { return [] }
        var ok = false
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            ok = RAND_bytes(buffer.baseAddress, Int32(count)) == 1
            if !ok { buffer.initialize(repeating: 0) }
            initialized = count
        }
        guard ok else {
            throw CryptoError.openSSL(.randomFailed, "RAND_bytes failed")
        }
        return bytes
    }
}
