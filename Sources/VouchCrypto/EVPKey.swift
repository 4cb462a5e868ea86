internal import COpenSSL
import Synchronization

/// Owns one `EVP_PKEY` for as long as any key value refers to it.
///
/// `@unchecked Sendable` is safe because the key is immutable after `init`:
/// every later use hands it to OpenSSL read-only (sign, verify, encode), which
/// OpenSSL 3 allows from several threads at once. Each operation has its
/// own `EVP_MD_CTX`; the one shared piece, a verify context template for a
/// key used more than once, is only copied, under a lock.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer
    let algorithm: SigningAlgorithm
    /// Verifications so far, and the ES256 verify context made at the second one.
    private let verifying = Mutex<(uses: Int, template: OpaquePointer?)>((0, nil))

    /// Takes ownership of `pointer`, freeing it if the key is unsupported.
    ///
    /// - Throws: `CryptoError.unsupportedAlgorithm` unless the key is P-256 or
    ///   Ed25519 (named curve only; explicit EC parameters are refused).
    init(taking pointer: OpaquePointer) throws {
        guard let algorithm = Self.algorithm(of: pointer) else {
            EVP_PKEY_free(pointer)
            OpenSSL.clearErrors()
            throw CryptoError(
                code: .unsupportedAlgorithm,
                reason: "only P-256 (ES256) and Ed25519 (EdDSA) keys are supported")
        }
        self.pointer = pointer
        self.algorithm = algorithm
    }

    /// Takes ownership of `pointer`, which the caller made as a key of `algorithm` (no type check).
    init(taking pointer: OpaquePointer, algorithm: SigningAlgorithm) {
        self.pointer = pointer
        self.algorithm = algorithm
    }

    deinit {
        verifying.withLock { state in
            if let template = state.template { EVP_MD_CTX_free(template) }
        }
        EVP_PKEY_free(pointer)
    }

    /// Checks a DER ECDSA signature of `message` under this P-256 key with SHA-256 (ES256).
    ///
    /// `EVP_DigestVerifyInit` looks up the signature algorithm and the digest
    /// and sets up the key's operation on every call (about 25k instructions
    /// of an 870k ES256 verify). So:
    /// - a key that verifies again and again (an issuer's) keeps one
    ///   initialised context from its second use on and copies it
    ///   (`EVP_MD_CTX_copy_ex`, under a lock), which skips those look-ups;
    /// - a key's first verification (all a holder key ever gets) hashes the
    ///   message with the SHA-256 fetched once per process (``SHA256Engine``)
    ///   and checks the signature of that digest with `EVP_PKEY_verify`, which
    ///   skips the digest look-up and the digest context. Both compute the
    ///   same ECDSA verification of SHA-256(message).
    func verifySHA256(_ signature: UnsafePointer<UInt8>, _ signatureCount: Int,
                      _ message: UnsafePointer<UInt8>, _ messageCount: Int) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let copied = verifying.withLock { state -> Bool? in
            state.uses += 1
            if state.template == nil, state.uses >= 2, let template = EVP_MD_CTX_new() {
                if EVP_DigestVerifyInit(template, nil, EVP_sha256(), nil, pointer) == 1 {
                    state.template = template
                } else {
                    EVP_MD_CTX_free(template)
                }
            }
            guard let template = state.template else { return nil }
            return EVP_MD_CTX_copy_ex(context, template) == 1
        }
        switch copied {
        case true?:
            return EVP_DigestVerify(context, signature, signatureCount, message, messageCount) == 1
        case false?:
            return false
        case nil:
            let digest = SHA256Engine.hash { update in update(message, messageCount) }
            guard let operation = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else { return false }
            defer { EVP_PKEY_CTX_free(operation) }
            guard EVP_PKEY_verify_init(operation) == 1 else { return false }
            return EVP_PKEY_verify(operation, signature, signatureCount, digest, digest.count) == 1
        }
    }

    private static func algorithm(of key: OpaquePointer) -> SigningAlgorithm? {
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_ED25519:
            return .eddsa
        case EVP_PKEY_EC:
            return isP256(key) ? .es256 : nil
        default:
            return nil
        }
    }

    private static func isP256(_ key: OpaquePointer) -> Bool {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 80) { buffer in
            guard let base = buffer.baseAddress else { return false }
            var length = 0
            guard EVP_PKEY_get_group_name(key, base, buffer.count, &length) == 1 else {
                return false
            }
            return OBJ_txt2nid(base) == NID_X9_62_prime256v1
                || EC_curve_nist2nid(base) == NID_X9_62_prime256v1
        }
    }
}
