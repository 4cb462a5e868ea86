extension Array where Element == UInt8 {
    /// Calls `body` with a pointer that is never `nil`, even for an empty array.
    ///
    /// Several OpenSSL entry points reject a `NULL` buffer even when the
    /// length is zero (`BIO_new_mem_buf`) or treat it as "query the length"
    /// (`EVP_DigestSign`), so an empty input gets a valid one-byte scratch.
    func withOpenSSLBytes<R>(
        _ body: (UnsafePointer<UInt8>, Int) throws -> R
    ) rethrows -> R {
        try withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress {
                return try body(base, buffer.count)
            }
            return try withUnsafePointer(to: UInt8(0)) { try body($0, 0) }
        }
    }
}
