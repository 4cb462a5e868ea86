public import Foundation
public import VouchCore
public import VouchCrypto

/// A log receipt key a verifier trusts (format.md §7): the key and the log
/// origin its receipts name.
///
/// On disk it is a PEM `PUBLIC KEY` block preceded by one line
/// `Origin: <checkpoint origin>` (OpenSSL ignores text before a PEM block, so
/// `openssl pkey -pubin -in FILE` still reads it). Files live in
/// `Certs/receipts/` and, for a data directory's own log, `DATA/certs/receipt.pem`.
public struct ReceiptKey: Sendable, Hashable {
    /// Longest origin accepted, as a checkpoint origin line.
    public static let maximumOriginLength = 255

    /// The log's checkpoint origin (the second line of a receipt message).
    public let origin: String
    public let publicKey: PublicKey

    /// - Throws: ``TrustBundleError`` `.malformed` for an empty origin, one with
    ///   white space or control characters, or a key that is not Ed25519 or P-256.
    public init(origin: String, publicKey: PublicKey) throws(TrustBundleError) {
        guard !origin.isEmpty, origin.utf8.count <= Self.maximumOriginLength,
              origin.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7f })
        else {
            throw TrustBundleError(.malformed, "receipt key origin must be 1 to 255 characters without spaces")
        }
        guard publicKey.algorithm == .eddsa || publicKey.algorithm == .es256 else {
            throw TrustBundleError(.malformed, "a receipt key must be Ed25519 or P-256")
        }
        self.origin = origin
        self.publicKey = publicKey
    }

    /// Whether `receipt` is this key's signature for the entry `tokenHash` in this origin's log.
    public func isValid(_ receipt: LogReceipt, tokenHash: [UInt8]) -> Bool {
        publicKey.isValidSignature(receipt.signature, for: receipt.message(origin: origin, tokenHash: tokenHash))
    }

    // MARK: Files

    /// The file form: `Origin: <origin>` and the PEM block.
    public var fileText: String { "Origin: \(origin)\n" + publicKey.pemRepresentation }

    /// Reads the file form.
    ///
    /// - Throws: ``TrustBundleError`` `.malformed` naming what is missing or wrong.
    public init(fileText: String) throws(TrustBundleError) {
        let lines = fileText.split(separator: "\n", omittingEmptySubsequences: true)
        guard let line = lines.first(where: { $0.hasPrefix("Origin:") }) else {
            throw TrustBundleError(.malformed, "receipt key file has no \"Origin:\" line")
        }
        let origin = line.dropFirst("Origin:".count).trimmingCharacters(in: .whitespaces)
        let key: PublicKey
        do {
            key = try PublicKey(pemRepresentation: fileText)
        } catch {
            throw TrustBundleError(.malformed, "receipt key file holds no PUBLIC KEY block")
        }
        try self.init(origin: origin, publicKey: key)
    }

    /// Writes the file form, replacing the file atomically when its content differs.
    public func write(to url: URL) throws {
        let data = Data(fileText.utf8)
        if FileManager.default.contents(atPath: url.path) == data { return }
        try data.write(to: url, options: .atomic)
    }

    /// Reads receipt key files from files and directories (`.pem`); missing paths are skipped.
    ///
    /// - Throws: ``TrustBundleError`` naming a file that exists but cannot be read.
    public static func readAll(_ urls: [URL]) throws -> [ReceiptKey] {
        let fm = FileManager.default
        var result: [ReceiptKey] = []
        for url in urls {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            let files = isDirectory.boolValue
                ? try fm.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
                    .filter { $0.pathExtension.lowercased() == "pem" }.sorted { $0.path < $1.path }
                : [url]
            for file in files {
                guard let data = fm.contents(atPath: file.path) else {
                    throw TrustBundleError(.malformed, "\(file.path): unreadable")
                }
                do {
                    result.append(try ReceiptKey(fileText: String(decoding: data, as: UTF8.self)))
                } catch {
                    throw TrustBundleError(.malformed, "\(file.path): \(error.reason)")
                }
            }
        }
        return Array(Set(result)).sorted { $0.fileText < $1.fileText }
    }
}
