internal import COpenSSL

/// Owns one `EVP_PKEY` for as long as any key value refers to it.
///
/// `@unchecked Sendable` is safe because the key is immutable after `init`:
/// every later use hands it to OpenSSL read-only (sign, verify, encode), which
/// OpenSSL 3 allows from several threads at once. Each operation creates its
/// own `EVP_MD_CTX`; no per-call state lives here.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer
    let algorithm: SigningAlgorithm

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

    deinit {
        EVP_PKEY_free(pointer)
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
