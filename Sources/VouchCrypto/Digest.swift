internal import COpenSSL

/// One-shot hashes and MACs over byte arrays.
public enum Digest {
    /// The SHA-256 output length in bytes.
    public static let sha256Length = 32

    /// Computes SHA-256 (FIPS 180-4).
    ///
    /// - Returns: 32 bytes.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withOpenSSLBytes { base, count in
            [UInt8](unsafeUninitializedCapacity: sha256Length) { output, initialized in
                // SHA256() cannot fail for in-memory input.
                _ = SHA256(base, count, output.baseAddress)
                initialized = sha256Length
            }
        }
    }

    /// Computes HMAC-SHA-256 (RFC 2104).
    ///
    /// - Parameters:
    ///   - key: Any length; keys longer than 64 bytes are hashed first, as RFC 2104 says.
    ///   - message: The data to authenticate.
    /// - Returns: 32 bytes.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        key.withOpenSSLBytes { keyBase, keyCount in
            message.withOpenSSLBytes { messageBase, messageCount in
                [UInt8](unsafeUninitializedCapacity: sha256Length) { output, initialized in
                    var length: UInt32 = 0
                    let result = HMAC(
                        EVP_sha256(), keyBase, Int32(clamping: keyCount),
                        messageBase, messageCount, output.baseAddress, &length)
                    // Only memory exhaustion makes HMAC() fail; nothing sane to return.
                    guard result != nil, length == sha256Length else {
                        fatalError("HMAC-SHA256 failed: \(OpenSSL.drainErrors())")
                    }
                    initialized = sha256Length
                }
            }
        }
    }
}
