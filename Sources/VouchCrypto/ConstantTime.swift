internal import COpenSSL

/// Compares two byte strings in time that depends only on their length.
///
/// Use it for MACs, tokens and secrets, where an early exit would tell an
/// attacker how many leading bytes matched.
///
/// - Returns: `false` if the lengths differ (lengths are not secret), else
///   whether every byte is equal.
public func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return a.withOpenSSLBytes { left, count in
        b.withOpenSSLBytes { right, _ in
            CRYPTO_memcmp(left, right, count) == 0
        }
    }
}
