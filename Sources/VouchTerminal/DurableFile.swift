import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two durable writes a terminal's staff and register files need, with
/// POSIX calls so that "written" means on disk (`fsync`), not in a buffer.
///
/// Files are created 0600: a staff file holds PIN hashes, a register is the
/// shop's record. Errors are ``TerminalFileError`` naming the file.
enum DurableFile {
    /// Appends `bytes` to `url` (created 0600 if missing) and syncs it before returning.
    ///
    /// `O_APPEND` puts every write at the end, so a crash can at worst cut
    /// the last line short; readers skip a last line without its newline.
    static func append(_ bytes: [UInt8], to url: URL) throws(TerminalFileError) {
        let created = !FileManager.default.fileExists(atPath: url.path)
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw TerminalFileError("cannot open", url) }
        defer { close(descriptor) }
        try writeAll(bytes, descriptor, url)
        guard fsync(descriptor) == 0 else { throw TerminalFileError("cannot sync", url) }
        if created { try syncDirectory(of: url) }
    }

    /// Replaces `url` with `bytes`: a synced temporary file renamed over it,
    /// so a crash leaves the old content or the new, never a mix.
    static func replace(_ url: URL, with bytes: [UInt8]) throws(TerminalFileError) {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw TerminalFileError("cannot create", temporary) }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, 0o600) == 0 else { throw TerminalFileError("cannot chmod", temporary) }
            try writeAll(bytes, descriptor, temporary)
            guard fsync(descriptor) == 0 else { throw TerminalFileError("cannot sync", temporary) }
        }
        guard rename(temporary.path, url.path) == 0 else { throw TerminalFileError("cannot rename over", url) }
        try syncDirectory(of: url)
    }

    /// Reads `url` whole, refusing files over `limit` bytes; `nil` when it does not exist.
    static func read(_ url: URL, limit: Int) throws(TerminalFileError) -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw TerminalFileError("cannot read", url) }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: limit + 1) else { return [] }
        guard data.count <= limit else { throw TerminalFileError("is larger than \(limit) bytes:", url) }
        return [UInt8](data)
    }

    private static func writeAll(_ bytes: [UInt8], _ descriptor: Int32, _ url: URL) throws(TerminalFileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw TerminalFileError("cannot write", url) }
            offset += written
        }
    }

    private static func syncDirectory(of url: URL) throws(TerminalFileError) {
        let directory = url.deletingLastPathComponent()
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TerminalFileError("cannot open", directory) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw TerminalFileError("cannot sync", directory) }
    }
}

/// A terminal file that could not be read or written; says which and why (errno).
public struct TerminalFileError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ action: String, _ url: URL, errorNumber: Int32 = errno) {
        description = "\(action) \(url.path): \(String(cString: strerror(errorNumber)))"
    }

    init(message: String) { description = message }
}
