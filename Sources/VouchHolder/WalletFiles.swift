#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// POSIX file access for a wallet directory: every file is created 0600, written whole, synced.
///
/// Foundation cannot create a file atomically with a mode, so a key or a code
/// would be world-readable between create and chmod; `open(2)` with mode 0600
/// never is. Replacing a file writes a temporary sibling and renames it over,
/// so a crash leaves the old or the new file, never half of one.
enum WalletFiles {
    /// Creates `path` (mode 0600), refusing to overwrite, and writes `bytes`.
    static func create(_ path: String, _ bytes: [UInt8]) throws(WalletError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw errno == EEXIST ? WalletError(.io, "refusing to overwrite \(path)") : failure("cannot create", path)
        }
        var complete = false
        defer {
            close(descriptor)
            if !complete { unlink(path) }
        }
        guard fchmod(descriptor, 0o600) == 0 else { throw failure("cannot chmod", path) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("cannot write", path)
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else { throw failure("cannot sync", path) }
        complete = true
    }

    /// Replaces `path` atomically with `bytes` (mode 0600).
    static func replace(_ path: String, _ bytes: [UInt8]) throws(WalletError) {
        let temporary = path + ".tmp"
        unlink(temporary)
        try create(temporary, bytes)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw failure("cannot rename onto", path)
        }
    }

    /// Reads a whole file of at most `limit` bytes.
    static func read(_ path: String, limit: Int = 64 * 1024) throws(WalletError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { throw failure("cannot open", path) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read", path)
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else { throw WalletError(.io, "\(path) is larger than \(limit) bytes") }
            bytes += chunk[..<count]
        }
    }

    /// Whether `path` exists (without following a final symlink).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Removes a file; a file already gone is not an error.
    static func remove(_ path: String) throws(WalletError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw failure("cannot remove", path) }
    }

    /// Creates a directory readable only by its owner (0700); an existing one is checked instead.
    static func makeDirectory(_ path: String) throws(WalletError) {
        if mkdir(path, 0o700) != 0, errno != EEXIST { throw failure("cannot create directory", path) }
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw WalletError(.io, "\(path) is not a directory")
        }
        guard chmod(path, 0o700) == 0 else { throw failure("cannot chmod", path) }
    }

    /// The file names in a directory, sorted.
    static func list(_ path: String) throws(WalletError) -> [String] {
        guard let directory = opendir(path) else { throw failure("cannot list", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The permission bits of a file.
    static func mode(_ path: String) -> UInt32? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode & 0o777)
    }

    /// `read(2)`, named apart from ``read(_:limit:)``.
    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.read(descriptor, buffer, count)
        #elseif canImport(Musl)
            Musl.read(descriptor, buffer, count)
        #else
            Darwin.read(descriptor, buffer, count)
        #endif
    }

    private static func failure(_ action: String, _ path: String) -> WalletError {
        WalletError(.io, "\(action) \(path): \(String(cString: strerror(errno)))")
    }
}
