/// A C2SP tlog-checkpoint: the log's origin, tree size and root hash.
///
/// ```
/// <origin>
/// <tree size, decimal>
/// <root hash, base64>
/// [extension lines]
/// ```
///
/// Every line ends in a newline. The text is what the log key signs as a
/// ``SignedNote``; ``signed(by:)`` and ``open(note:verifiers:origin:)`` do both steps.
public struct Checkpoint: Hashable, Sendable {
    /// The log's identity, e.g. `vouch.example.org/log`.
    public let origin: String
    /// The number of leaves.
    public let size: Int
    /// The RFC 9162 root hash at ``size``, 32 bytes.
    public let rootHash: [UInt8]
    /// Optional extension lines after the root hash, without newlines.
    public let extensions: [String]

    /// Creates a checkpoint.
    ///
    /// - Throws: `LogError.malformedCheckpoint` for an empty origin or a line
    ///   with control characters, a negative size, a root that is not 32
    ///   bytes, or an empty extension line.
    public init(origin: String, size: Int, rootHash: [UInt8], extensions: [String] = []) throws(LogError) {
        guard Self.isValidLine(origin) else {
            throw LogError(.malformedCheckpoint, "origin must be a non-empty line without control characters")
        }
        guard size >= 0 else { throw LogError(.malformedCheckpoint, "tree size must not be negative") }
        guard rootHash.count == MerkleHash.length else {
            throw LogError(.malformedCheckpoint, "root hash must be 32 bytes")
        }
        guard extensions.allSatisfy(Self.isValidLine) else {
            throw LogError(.malformedCheckpoint, "extension lines must be non-empty without control characters")
        }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// Parses a checkpoint body (the text of its signed note).
    ///
    /// - Throws: `LogError.malformedCheckpoint` for a missing final newline,
    ///   fewer than three lines, an empty origin, a size that is not a decimal
    ///   without leading zeros, a root that is not canonical base64 of 32
    ///   bytes, or an empty extension line.
    public init(text: String) throws(LogError) {
        guard text.utf8.last == 0x0a else { throw LogError(.malformedCheckpoint, "checkpoint must end with a newline") }
        let lines = text.utf8.dropLast().split(separator: 0x0a, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else { throw LogError(.malformedCheckpoint, "checkpoint needs origin, size and root") }
        guard let size = Self.parseSize(lines[1]) else {
            throw LogError(.malformedCheckpoint, "tree size must be a decimal without leading zeros")
        }
        guard let root = Base64.decode(lines[2]), root.count == MerkleHash.length else {
            throw LogError(.malformedCheckpoint, "root hash must be base64 of 32 bytes")
        }
        try self.init(origin: lines[0], size: size, rootHash: root, extensions: Array(lines[3...]))
    }

    /// The checkpoint body, every line ending in a newline.
    public var text: String {
        var text = origin + "\n" + String(size) + "\n" + Base64.encode(rootHash) + "\n"
        for line in extensions {
            text += line + "\n"
        }
        return text
    }

    /// Signs the checkpoint as a signed note (`GET /v1/log/checkpoint`).
    ///
    /// - Throws: `CryptoError` if signing fails.
    public func signed(by signer: NoteSigner) throws -> String {
        try SignedNote.sign(text: text, signer: signer)
    }

    /// Opens a signed checkpoint: checks the note, then parses its text.
    ///
    /// - Parameters:
    ///   - note: The signed note bytes.
    ///   - verifiers: The log keys (and witness keys) the caller trusts.
    ///   - origin: The expected origin, or `nil` to accept any.
    /// - Throws: The errors of ``SignedNote/open(note:verifiers:)``,
    ///   `LogError.malformedCheckpoint` for a bad body or another origin.
    public static func open(note: [UInt8], verifiers: [NoteVerifier], origin: String? = nil) throws(LogError) -> Checkpoint {
        let opened = try SignedNote.open(note: note, verifiers: verifiers)
        let checkpoint = try Checkpoint(text: opened.text)
        if let origin, checkpoint.origin != origin {
            throw LogError(.malformedCheckpoint, "checkpoint is for another origin")
        }
        return checkpoint
    }

    private static func isValidLine(_ line: String) -> Bool {
        !line.isEmpty && !line.utf8.contains { $0 < 0x20 }
    }

    private static func parseSize(_ text: String) -> Int? {
        let utf8 = text.utf8
        guard (1...19).contains(utf8.count), utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard utf8.count == 1 || utf8.first != 0x30 else { return nil }
        return Int(text)
    }
}
