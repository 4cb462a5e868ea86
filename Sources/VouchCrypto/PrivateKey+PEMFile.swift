extension PrivateKey {
    /// The largest key file `load(fromPEMFile:)` reads.
    static let maximumPEMFileSize = 64 * 1024

    /// Writes the key as PKCS#8 PEM to a new file readable only by its owner.
    ///
    /// The file is created with `O_CREAT | O_EXCL` and mode 0600, so it is
    /// never world-readable, even briefly, and an existing file (or symlink)
    /// is never replaced.
    ///
    /// - Parameter path: Where to create the file.
    /// - Throws: `CryptoError.io` if the file exists or cannot be written.
    public func write(toPEMFile path: String) throws {
        try FileIO.createPrivate(path: path, bytes: Array(pemRepresentation.utf8))
    }

    /// Reads a private key from a PEM file.
    ///
    /// - Parameter path: A file holding a `PRIVATE KEY` or `EC PRIVATE KEY` block.
    /// - Throws: `CryptoError.io` if the file cannot be read;
    ///   `.invalidKey` or `.unsupportedAlgorithm` if it holds no usable key.
    public static func load(fromPEMFile path: String) throws -> PrivateKey {
        let bytes = try FileIO.readFile(path: path, limit: maximumPEMFileSize)
        return try PrivateKey(pemRepresentation: String(decoding: bytes, as: UTF8.self))
    }
}
