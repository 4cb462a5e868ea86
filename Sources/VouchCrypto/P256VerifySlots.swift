internal import COpenSSL
import Synchronization

/// Spare P-256 keys, each with a verify context, for keys that check one signature and are gone.
///
/// Why it exists: a presentation's holder key (`cnf`) is used for exactly
/// one ES256 verification. Making an `EVP_PKEY` for it costs about 31k
/// instructions (`EVP_PKEY_dup` of a template key, which copies the curve
/// group) and its verify context another 11k (`EVP_PKEY_CTX_new_from_pkey`),
/// about 5% of a presentation's verify (Benchmarks/README.md, pair 6). A
/// slot keeps both and is used again for the next holder key:
/// `EVP_PKEY_set1_encoded_public_key` (documented for setting the public key
/// of an existing key) puts the new point in, and `EVP_PKEY_verify_init`
/// binds the context to the key afresh, so a verification always uses the
/// point just set and never the previous one (`P256VerifySlotsTests` checks
/// that a signature by the previous key is refused).
///
/// A slot's key never leaves this type: nothing else can hold a reference to
/// it (an `X509` given a key keeps one, which is why ``PublicKey`` keys are
/// never pooled). A slot whose key could not be set is freed, not returned.
///
/// `@unchecked Sendable` is safe because a slot is owned by one caller at a
/// time: it is taken from and given back to `spares` under its mutex.
final class P256VerifySlots: @unchecked Sendable {
    /// One key and a context made for it; owned by the slot and freed with it.
    ///
    /// `@unchecked Sendable`: a slot moves between threads only through
    /// `spares`, and is used by whoever took it, alone.
    final class Slot: @unchecked Sendable {
        let key: OpaquePointer
        let context: OpaquePointer

        init?(copying template: OpaquePointer) {
            guard let key = EVP_PKEY_dup(template) else { return nil }
            guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else {
                EVP_PKEY_free(key)
                return nil
            }
            (self.key, self.context) = (key, context)
        }

        deinit {
            EVP_PKEY_CTX_free(context)
            EVP_PKEY_free(key)
        }
    }

    /// The process's slots (`nil` only if OpenSSL could not make the template key).
    static let shared: P256VerifySlots? = PublicKey.p256Template.map { P256VerifySlots(template: $0) }

    /// At most this many idle slots are kept: one per verification running at once is enough.
    static let maximumSpares = 64

    private let template: EVPKey
    private let spares = Mutex<[Slot]>([])

    init(template: EVPKey) {
        self.template = template
    }

    /// Idle slots now (for tests).
    var spareCount: Int { spares.withLock { $0.count } }

    /// Checks a DER ES256 signature over a SHA-256 `digest` under the uncompressed P-256 `point` (65 bytes).
    ///
    /// The point is set (and so checked by OpenSSL) even when `signature` is
    /// `nil`, which stands for one that could not be valid, so that a point off
    /// the curve is reported whatever the signature.
    ///
    /// - Returns: `nil` when OpenSSL refuses the point (not on the curve), else whether the signature is valid.
    func verify(point: UnsafePointer<UInt8>, signature: UnsafePointer<UInt8>?, _ signatureCount: Int,
                digest: UnsafePointer<UInt8>) -> Bool? {
        guard let slot = spares.withLock({ $0.popLast() }) ?? Slot(copying: template.pointer) else {
            OpenSSL.clearErrors()
            return false
        }
        guard EVP_PKEY_set1_encoded_public_key(slot.key, point, 65) == 1 else {
            OpenSSL.clearErrors()
            return nil  // the slot is dropped: its key may hold a half-set point
        }
        guard EVP_PKEY_verify_init(slot.context) == 1 else {
            OpenSSL.clearErrors()
            return false  // the slot is dropped too
        }
        let valid = signature.map { EVP_PKEY_verify(slot.context, $0, signatureCount, digest, 32) == 1 } ?? false
        if !valid { OpenSSL.clearErrors() }
        spares.withLock { spares in
            if spares.count < Self.maximumSpares { spares.append(slot) }
        }
        return valid
    }
}
