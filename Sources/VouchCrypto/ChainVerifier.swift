internal import COpenSSL
public import Foundation

/// Verifies certificate chains against a fixed set of trusted roots.
///
/// The `X509_STORE` is built once in `init` and shared, read-only, by every
/// verification; each call gets its own `X509_STORE_CTX`, so one verifier
/// can serve many tasks at once. Roots must be self-signed: a trust anchor
/// that is not (a partial chain) is not accepted.
public struct ChainVerifier: Sendable {
    /// The trusted roots, in the order given.
    public let roots: [Certificate]

    private let store: X509StoreHandle

    /// Creates a verifier trusting `roots`.
    public init(roots: [Certificate]) {
        self.roots = roots
        self.store = X509StoreHandle(roots: roots)
    }

    /// Verifies that `leaf` chains to one of the roots and that every
    /// certificate on the path is valid at `time`.
    ///
    /// Validity follows OpenSSL: `notBefore` is inclusive, but a certificate
    /// counts as expired from the second of its `notAfter` onwards (RFC 5280
    /// would still accept that one second).
    ///
    /// - Parameters:
    ///   - leaf: The certificate to check.
    ///   - intermediates: Untrusted certificates that may complete the path.
    ///   - time: The instant at which validity periods are checked.
    /// - Returns: `.valid`, or `.invalid` with OpenSSL's reason and depth
    ///   (0 is the leaf).
    public func verify(
        _ leaf: Certificate, intermediates: [Certificate] = [], at time: Date
    ) -> ChainResult {
        defer { OpenSSL.clearErrors() }
        guard let context = X509_STORE_CTX_new() else {
            return .invalid(reason: "cannot allocate verification context")
        }
        defer { X509_STORE_CTX_free(context) }
        guard let untrusted = OPENSSL_sk_new_null() else {
            return .invalid(reason: "cannot allocate certificate stack")
        }
        // The stack borrows the X509 pointers; the arrays keep them alive.
        defer { OPENSSL_sk_free(untrusted) }
        for certificate in intermediates
        where OPENSSL_sk_push(untrusted, UnsafeRawPointer(certificate.handle.pointer)) <= 0 {
            return .invalid(reason: "cannot allocate certificate stack")
        }
        guard X509_STORE_CTX_init(context, store.pointer, leaf.handle.pointer, untrusted) == 1 else {
            return .invalid(reason: "cannot initialise verification context")
        }
        X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(context), Self.timeT(time))
        let result = withExtendedLifetime((leaf, intermediates)) {
            X509_verify_cert(context)
        }
        if result == 1 {
            return .valid
        }
        let error = X509_STORE_CTX_get_error(context)
        let depth = X509_STORE_CTX_get_error_depth(context)
        guard error != X509_V_OK, let text = X509_verify_cert_error_string(Int(error)) else {
            return .invalid(reason: "chain verification failed")
        }
        return .invalid(reason: "\(String(cString: text)) (depth \(depth))")
    }

    private static func timeT(_ date: Date) -> time_t {
        // Clamp so that absurd dates cannot trap the conversion.
        let seconds = date.timeIntervalSince1970.rounded(.down)
        return time_t(max(-1e12, min(1e12, seconds)))
    }
}
