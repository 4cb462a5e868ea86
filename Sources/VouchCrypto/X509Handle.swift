internal import COpenSSL

/// Owns one parsed `X509` for as long as any certificate value refers to it.
///
/// `@unchecked Sendable` is safe because the certificate is immutable after
/// parsing: later uses are read-only (`X509_STORE_CTX_init`, accessors), and
/// the extension cache OpenSSL fills lazily is guarded by its own lock. The
/// `Certificate` initializer fills that cache before the handle is shared.
final class X509Handle: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }
}
