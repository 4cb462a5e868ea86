internal import COpenSSL

/// Shared plumbing for every file that calls libcrypto.
///
/// Each helper confines one kind of pointer juggling (error queue, memory
/// BIOs, i2d length-then-write encoding) so that the public types stay free of
/// buffer arithmetic.
enum OpenSSL {
    /// The most OpenSSL error entries copied into one reason string.
    private static let maximumReportedErrors = 8

    /// Empties this thread's OpenSSL error queue and returns it as text.
    static func drainErrors() -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            if messages.count < maximumReportedErrors {
                messages.append(errorString(code))
            }
        }
        return messages.joined(separator: "; ")
    }

    /// Empties this thread's OpenSSL error queue after an expected failure.
    static func clearErrors() {
        ERR_clear_error()
    }

    private static func errorString(_ code: UInt) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            guard let base = buffer.baseAddress else { return "error \(code)" }
            ERR_error_string_n(code, base, buffer.count)
            return String(cString: base)
        }
    }

    /// Runs `body` with a read-only memory BIO over `bytes`.
    ///
    /// The BIO borrows the array's storage, so it must not escape `body`.
    static func withReadBIO<R>(
        over bytes: [UInt8], _ body: (OpaquePointer) throws -> R
    ) throws -> R {
        guard bytes.count <= Int(Int32.max) else {
            throw CryptoError(code: .io, reason: "input of \(bytes.count) bytes is too large")
        }
        return try bytes.withOpenSSLBytes { base, count in
            guard let bio = BIO_new_mem_buf(base, Int32(count)) else {
                throw CryptoError.openSSL(.internal, "BIO_new_mem_buf failed")
            }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }

    /// Runs `write` against a fresh memory BIO and returns what it wrote.
    ///
    /// - Returns: The bytes written, or `nil` when `write` reports failure.
    static func collectFromWriteBIO(_ write: (OpaquePointer) -> Bool) -> [UInt8]? {
        guard let method = BIO_s_mem(), let bio = BIO_new(method) else { return nil }
        defer { BIO_free(bio) }
        guard write(bio) else { return nil }
        var data: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &data)
        guard length >= 0, let data else { return length == 0 ? [] : nil }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// Runs an `i2d_*` style encoder twice: once for the length, once to write.
    ///
    /// - Returns: The DER bytes, or `nil` when the encoder fails.
    static func encodeDER(
        _ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32
    ) -> [UInt8]? {
        let length = Int(encode(nil))
        guard length > 0 else { return nil }
        var written = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            written = Int(encode(&cursor))
            initialized = written == length ? length : 0
        }
        return written == length ? bytes : nil
    }
}
