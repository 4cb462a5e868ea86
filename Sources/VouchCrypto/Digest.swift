internal import COpenSSL

/// One-shot hashes and MACs over byte arrays.
public enum Digest {
    /// The SHA-256 output length in bytes.
    public static let sha256Length = 32

    /// Computes SHA-256 (FIPS 180-4).
    ///
    /// - Returns: 32 bytes.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        SHA256Engine.hash { update in bytes.withOpenSSLBytes { update($0, $1) } }
    }

    /// Computes SHA-256 of several byte strings as if they were concatenated,
    /// without concatenating them.
    ///
    /// - Parameter parts: The byte strings, in order; empty parts are allowed.
    /// - Returns: 32 bytes, equal to `sha256(parts.flatMap { $0 })`.
    public static func sha256(parts: [[UInt8]]) -> [UInt8] {
        SHA256Engine.hash { update in
            for part in parts {
                part.withOpenSSLBytes { update($0, $1) }
            }
        }
    }

    /// Computes SHA-256 of one byte followed by `bytes`, without copying
    /// `bytes`: the RFC 9162 leaf hash `SHA-256(0x00 || entry)`.
    ///
    /// - Returns: 32 bytes.
    public static func sha256(prefix: UInt8, _ bytes: [UInt8]) -> [UInt8] {
        SHA256Engine.hash { update in
            withUnsafePointer(to: prefix) { update($0, 1) }
            bytes.withOpenSSLBytes { update($0, $1) }
        }
    }

    /// Computes SHA-256 of one byte followed by two byte strings, without
    /// copying them: the RFC 9162 node hash `SHA-256(0x01 || left || right)`.
    ///
    /// - Returns: 32 bytes.
    public static func sha256(prefix: UInt8, _ first: [UInt8], _ second: [UInt8]) -> [UInt8] {
        SHA256Engine.hash { update in
            withUnsafePointer(to: prefix) { update($0, 1) }
            first.withOpenSSLBytes { update($0, $1) }
            second.withOpenSSLBytes { update($0, $1) }
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

/// SHA-256 through `EVP_Digest*` with the algorithm fetched once per process.
///
/// `SHA256()` and `EVP_sha256()` make OpenSSL 3 look the algorithm up in its
/// provider store on every call (a lock and a name lookup), which costs about
/// as much as hashing a 130-byte log entry. Fetching it once, and feeding the
/// input in parts, also lets the Merkle tree hash `prefix || entry` without
/// first copying the entry behind its prefix byte.
enum SHA256Engine {
    /// The fetched `EVP_MD`, shared by every hash in the process.
    private static let algorithm = FetchedSHA256()

    /// Hashes what `feed` passes to its `update` function, in order.
    ///
    /// The pointers given to `update` need only be valid during that call.
    static func hash(_ feed: (_ update: (UnsafePointer<UInt8>, Int) -> Void) -> Void) -> [UInt8] {
        // Only memory exhaustion makes these calls fail; a hash has nothing sane to return then.
        guard let context = EVP_MD_CTX_new() else {
            fatalError("EVP_MD_CTX_new failed: \(OpenSSL.drainErrors())")
        }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, algorithm.pointer, nil) == 1 else {
            fatalError("EVP_DigestInit_ex(SHA256) failed: \(OpenSSL.drainErrors())")
        }
        feed { base, count in
            guard count > 0 else { return }
            guard EVP_DigestUpdate(context, base, count) == 1 else {
                fatalError("EVP_DigestUpdate failed: \(OpenSSL.drainErrors())")
            }
        }
        return [UInt8](unsafeUninitializedCapacity: Digest.sha256Length) { output, initialized in
            var length: UInt32 = 0
            guard EVP_DigestFinal_ex(context, output.baseAddress, &length) == 1, length == Digest.sha256Length else {
                fatalError("EVP_DigestFinal_ex failed: \(OpenSSL.drainErrors())")
            }
            initialized = Digest.sha256Length
        }
    }
}

/// Owns the `EVP_MD` for SHA-256 fetched from the default library context.
///
/// `@unchecked Sendable` is safe because a fetched `EVP_MD` is immutable and
/// reference-counted by OpenSSL, which allows its use in many digest contexts
/// on many threads at once. If the fetch fails (no provider offers SHA-256
/// under that name), the legacy `EVP_sha256()` handle is used instead, which
/// works the same but looks the algorithm up on every use.
final class FetchedSHA256: @unchecked Sendable {
    let pointer: OpaquePointer
    private let owned: Bool

    init() {
        if let fetched = EVP_MD_fetch(nil, "SHA256", nil) {
            pointer = fetched
            owned = true
        } else {
            OpenSSL.clearErrors()
            pointer = EVP_sha256()
            owned = false
        }
    }

    deinit {
        if owned { EVP_MD_free(pointer) }
    }
}
