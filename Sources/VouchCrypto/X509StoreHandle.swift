internal import COpenSSL

/// Owns an `X509_STORE` filled with trust anchors.
///
/// `@unchecked Sendable` is safe because nothing is added after `init`;
/// verifications only read the store (through their own `X509_STORE_CTX`),
/// and OpenSSL guards the store's internal caches with its own lock.
final class X509StoreHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Builds a store holding `roots`; the store up-references each certificate.
    ///
    /// Allocation failure here is treated as fatal, like any Swift allocation.
    init(roots: [Certificate]) {
        guard let store = X509_STORE_new() else {
            fatalError("X509_STORE_new failed: \(OpenSSL.drainErrors())")
        }
        for root in roots {
            // Fails only on allocation failure; adding a duplicate succeeds.
            guard X509_STORE_add_cert(store, root.handle.pointer) == 1 else {
                fatalError("X509_STORE_add_cert failed: \(OpenSSL.drainErrors())")
            }
        }
        self.pointer = store
    }

    deinit {
        X509_STORE_free(pointer)
    }
}
