#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Minimal POSIX file access for key and certificate files.
///
/// Foundation's file APIs cannot create a file atomically with a given mode,
/// so writing goes through `open(2)` with `O_CREAT | O_EXCL` and mode 0600:
/// the file is never readable by others, not even between create and chmod.
enum FileIO {
    /// Reads a whole regular file, refusing anything larger than `limit` bytes.
    ///
    /// - Throws: `CryptoError.io` with the path and the system's reason.
    static func readFile(path: String, limit: Int) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw error("cannot open", path) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw error("cannot read", path)
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else {
                throw CryptoError(code: .io, reason: "\(path) is larger than \(limit) bytes")
            }
            bytes += chunk[..<count]
        }
    }

    /// Creates `path` with mode 0600 and writes `bytes`, refusing to overwrite.
    ///
    /// On any failure after creation the partial file is removed.
    ///
    /// - Throws: `CryptoError.io`; the reason says so when the file exists.
    static func createPrivate(path: String, bytes: [UInt8]) throws {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        let descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST {
                throw CryptoError(code: .io, reason: "refusing to overwrite existing file \(path)")
            }
            throw error("cannot create", path)
        }
        var complete = false
        defer {
            close(descriptor)
            if !complete { unlink(path) }
        }
        // The umask can only have narrowed 0600; make the mode exact anyway.
        guard fchmod(descriptor, 0o600) == 0 else { throw error("cannot chmod", path) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                write(descriptor, $0.baseAddress! + offset, $0.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw error("cannot write", path)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw error("cannot sync", path) }
        complete = true
    }

    private static func error(_ action: String, _ path: String) -> CryptoError {
        let reason = String(cString: strerror(errno))
        return CryptoError(code: .io, reason: "\(action) \(path): \(reason)")
    }
}
