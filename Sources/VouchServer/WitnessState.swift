import VouchHTTP
public import Foundation
public import VouchLog

/// A witness's memory: the tree it last cosigned for each log it follows,
/// and its cosigning key.
///
/// Every `add-checkpoint` is checked and recorded inside this actor, one at a
/// time, and the state file is replaced atomically (written to a temporary
/// file, fsynced, renamed over the old one, directory fsynced) before the
/// cosignature is returned: a witness that crashes never forgets a tree it
/// cosigned, so it never cosigns a fork of it after a restart.
public actor WitnessState {
    /// The logs followed: their note keys, whose names are their origins.
    public nonisolated let logs: [NoteVerifier]
    /// This witness's key.
    public nonisolated let signer: Cosignature.Signer
    private let file: URL
    private var trees: [String: WitnessCheck.Tree]
    private let clock: @Sendable () -> Date

    /// Opens (or starts) the state file.
    ///
    /// - Throws: when the file exists but cannot be read as witness state.
    public init(file: URL, logs: [NoteVerifier], signer: Cosignature.Signer,
                clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.file = file
        self.logs = logs
        self.signer = signer
        self.clock = clock
        if let data = FileManager.default.contents(atPath: file.path) {
            trees = try JSONDecoder().decode([String: WitnessCheck.Tree].self, from: data)
        } else {
            trees = [:]
        }
    }

    /// The tree held for `origin`, if any.
    public func tree(origin: String) -> WitnessCheck.Tree? { trees[origin] }

    /// Checks a request, records the new tree durably, and cosigns it.
    ///
    /// - Returns: The cosignature line (`— <name> <base64>`).
    /// - Throws: ``WitnessCheck/Refusal``, or an I/O error (nothing recorded, nothing cosigned).
    public func add(_ request: AddCheckpointRequest) throws -> String {
        let checkpoint = try WitnessCheck.check(request, logs: logs) { trees[$0] }
        let time = UInt64(max(0, clock().timeIntervalSince1970))
        let line = try signer.cosign(checkpointText: checkpoint.text, time: time).line
        var next = trees
        next[checkpoint.origin] = WitnessCheck.Tree(size: checkpoint.size, rootHash: checkpoint.rootHash)
        if next != trees {
            try Self.replace(file, with: try JSONEncoder().encode(next))
            trees = next
        }
        return line
    }

    /// Writes `data` to a temporary file, fsyncs it, renames it over `url` and fsyncs the directory.
    static func replace(_ url: URL, with data: Data) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw WitnessIOError(description: "cannot create \(temporary.path)") }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw WitnessIOError(description: "cannot write \(url.path)")
        }
        let dir = open(directory.path, O_RDONLY)
        if dir >= 0 {
            _ = fsync(dir)
            close(dir)
        }
    }
}

/// The witness could not record its state; it cosigns nothing until it can.
public struct WitnessIOError: Error, CustomStringConvertible {
    public let description: String
}
