internal import COpenSSL

/// PBKDF2 with HMAC-SHA-256 (RFC 8018 §5.2), by OpenSSL's `PKCS5_PBKDF2_HMAC`.
///
/// What a terminal stores for a staff PIN: a PIN is short, so the hash is
/// made slow (many iterations) and salted per account, and only the derived
/// key is kept. Compare derived keys with ``constantTimeEquals(_:_:)``.
public enum PBKDF2 {
    /// Iterations for a new PIN hash: OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
    public static let recommendedIterations = 600_000
    /// Fewer are refused: below this a stolen file gives up short PINs too easily.
    public static let minimumIterations = 10_000
    /// More are refused: a stored count this high would make every PIN check a denial of service.
    public static let maximumIterations = 10_000_000

    /// Derives `length` bytes from `password` and `salt`.
    ///
    /// - Throws: `CryptoError.invalidKey` for an iteration count outside
    ///   ``minimumIterations``...``maximumIterations``, an empty salt or a
    ///   length outside 1...64; `CryptoError.internal` if OpenSSL fails.
    public static func hmacSHA256(password: [UInt8], salt: [UInt8], iterations: Int,
                                  length: Int = 32) throws -> [UInt8] {
        guard (minimumIterations...maximumIterations).contains(iterations) else {
            throw CryptoError(code: .invalidKey, reason: "PBKDF2 iterations \(iterations) outside "
                + "\(minimumIterations)...\(maximumIterations)")
        }
        guard !salt.isEmpty, salt.count <= 1024, (1...64).contains(length) else {
            throw CryptoError(code: .invalidKey, reason: "PBKDF2 needs a salt of 1 to 1024 bytes and a length of 1 to 64")
        }
        return try derive(password: password, salt: salt, iterations: iterations, length: length)
    }

    /// The derivation without the policy bounds (RFC test vectors use 1 iteration).
    static func derive(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) throws -> [UInt8] {
        var ok = false
        let output = password.withOpenSSLBytes { passwordBase, passwordCount in
            salt.withOpenSSLBytes { saltBase, saltCount in
                [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
                    // OpenSSL takes the password as `const char *`; the bytes are the same.
                    let passwordChars = UnsafeRawPointer(passwordBase).assumingMemoryBound(to: CChar.self)
                    ok = PKCS5_PBKDF2_HMAC(
                        passwordChars, Int32(clamping: passwordCount), saltBase, Int32(clamping: saltCount),
                        Int32(clamping: iterations), EVP_sha256(), Int32(length), buffer.baseAddress) == 1
                    if !ok { buffer.initialize(repeating: 0) }
                    initialized = length
                }
            }
        }
        guard ok else { throw CryptoError.openSSL(.internal, "PKCS5_PBKDF2_HMAC failed") }
        return output
    }
}
