internal import COpenSSL
import Synchronization

/// Owns one `EVP_PKEY` for as long as any key value refers to it.
///
/// `@unchecked Sendable` is safe because the key is immutable after `init`:
/// every later use hands it to OpenSSL read-only (sign, verify, encode), which
/// OpenSSL 3 allows from several threads at once. Each operation has its
/// own context; the one shared piece, the spare verify contexts of a key
/// used more than once, is a stack each context is taken from and put back
/// on under a lock, so no two verifications use one at once.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer
    let algorithm: SigningAlgorithm
    /// Verifications so far, and the initialised ES256 verify contexts kept for the next ones.
    private let verifying = Mutex<(uses: Int, spares: [VerifyContext])>((0, []))

    /// An initialised `EVP_PKEY_CTX` for verify. `@unchecked Sendable`: it is
    /// used by one verification at a time, handed over through the lock.
    private struct VerifyContext: @unchecked Sendable {
        let pointer: OpaquePointer
    }

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
            for context in state.spares { EVP_PKEY_CTX_free(context.pointer) }
        }
        EVP_PKEY_free(pointer)
    }

    /// Checks a DER ECDSA signature of `message` under this P-256 key with SHA-256 (ES256).
    ///
    /// The message is hashed with the SHA-256 fetched once per process
    /// (``SHA256Engine``) and the signature of that digest is checked with
    /// `EVP_PKEY_verify`: the same ECDSA verification of SHA-256(message) as
    /// `EVP_DigestVerify`, without its digest look-up and digest context.
    /// Setting up the key's operation (`EVP_PKEY_CTX_new_from_pkey`,
    /// `EVP_PKEY_verify_init`) is done once per context, so a key that
    /// verifies again and again (an issuer's, a receipt key) keeps its
    /// initialised contexts from its second use on and takes one at a time
    /// under a lock (at most ``maximumSpareContexts``); a key's first
    /// verification (all a holder key ever gets) makes one and frees it.
    /// That was an `EVP_MD_CTX_copy_ex` of one kept `EVP_DigestVerify`
    /// context, about 9k instructions more per issuer signature.
    func verifySHA256(_ signature: UnsafePointer<UInt8>, _ signatureCount: Int,
                      _ message: UnsafePointer<UInt8>, _ messageCount: Int) -> Bool {
        let digest = SHA256Engine.hash { update in update(message, messageCount) }
        let spare = verifying.withLock { state -> VerifyContext? in
            state.uses += 1
            return state.spares.popLast()
        }
        let operation: OpaquePointer
        if let spare {
            operation = spare.pointer
        } else {
            guard let made = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else {
                OpenSSL.clearErrors()
                return false
            }
            guard EVP_PKEY_verify_init(made) == 1 else {
                EVP_PKEY_CTX_free(made)
                OpenSSL.clearErrors()
                return false
            }
            operation = made
        }
        let result = EVP_PKEY_verify(operation, signature, signatureCount, digest, digest.count)
        if result != 1 { OpenSSL.clearErrors() }
        // A context is kept only after an answer (1 or 0); one that failed otherwise is dropped.
        let kept = result >= 0 && verifying.withLock { state -> Bool in
            guard state.uses >= 2, state.spares.count < Self.maximumSpareContexts else { return false }
            state.spares.append(VerifyContext(pointer: operation))
            return true
        }
        if !kept { EVP_PKEY_CTX_free(operation) }
        return result == 1
    }

    /// Initialised verify contexts a key keeps for reuse: one per verification running at once, up to this.
    static let maximumSpareContexts = 8

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
