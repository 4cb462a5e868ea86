public import Foundation
import VouchCore
import VouchCrypto

extension StatusListCache {
    /// The manifest: which token file holds which URI, and when it was fetched.
    private struct Manifest: Codable {
        struct List: Codable {
            var uri: String
            var file: String
            var fetchedAt: Int64

            enum CodingKeys: String, CodingKey {
                case uri, file
                case fetchedAt = "fetched_at"
            }
        }

        var lists: [List]
    }

    /// The largest manifest read back (a few hundred bytes per list).
    private static let maximumManifestBytes = 4 << 20

    /// Writes every held list to `directory`, so that a terminal keeps its last good lists across restarts.
    ///
    /// Each token goes to its own `<hash of uri>.cwt` file as received, then the
    /// manifest ``manifestName`` is replaced atomically; token files no longer
    /// listed are removed. Nothing secret is written: the tokens are public.
    ///
    /// - Throws: ``StatusListError`` `.io` when the directory cannot be written.
    public func save(to directory: URL) throws(StatusListError) {
        let held = all
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            var manifest = Manifest(lists: [])
            for entry in held {
                let file = Array(Digest.sha256(Array(entry.uri.utf8)).prefix(16)).hexString + ".cwt"
                try Data(entry.token).write(to: directory.appendingPathComponent(file), options: .atomic)
                manifest.lists.append(Manifest.List(uri: entry.uri, file: file,
                                                    fetchedAt: Int64(entry.fetchedAt.timeIntervalSince1970.rounded(.down))))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            try encoder.encode(manifest).write(to: directory.appendingPathComponent(Self.manifestName), options: .atomic)
            let kept = Set(manifest.lists.map(\.file))
            for name in try fm.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".cwt") && !kept.contains(name) {
                try? fm.removeItem(at: directory.appendingPathComponent(name))
            }
        } catch {
            throw StatusListError(.io, "cannot save status lists to \(directory.path): \(error)")
        }
    }

    /// Restores lists saved by ``save(to:)``, checking each token as ``store(token:fetchedAt:)`` does.
    ///
    /// Freshness keeps counting from the saved fetch time, so lists restored
    /// after a long outage answer `unavailable` until fetched again. A saved
    /// list that no longer passes (its issuer left the trust store, it
    /// expired) is skipped and reported.
    ///
    /// - Returns: The URIs restored and those refused. A directory without a
    ///   manifest restores nothing.
    /// - Throws: ``StatusListError`` `.io` for a manifest that cannot be read or parsed.
    @discardableResult
    public func load(from directory: URL) throws(StatusListError) -> LoadResult {
        let manifestURL = directory.appendingPathComponent(Self.manifestName)
        guard FileManager.default.fileExists(atPath: manifestURL.path) else { return LoadResult() }
        let manifest: Manifest
        do {
            let data = try Self.read(manifestURL, limit: Self.maximumManifestBytes)
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw StatusListError(.io, "cannot read \(manifestURL.path): \(error)")
        }
        var result = LoadResult()
        for list in manifest.lists {
            // The file name is ours; refuse anything that could leave the directory.
            guard !list.file.contains("/"), !list.file.hasPrefix(".") else {
                result.rejected[list.uri] = StatusListError(.io, "bad file name in manifest")
                continue
            }
            do {
                let token = try Self.read(directory.appendingPathComponent(list.file),
                                          limit: SignedStatusListToken.maximumEncodedByteCount)
                let entry = try insert(token: [UInt8](token),
                                      fetchedAt: Date(timeIntervalSince1970: TimeInterval(list.fetchedAt)))
                result.loaded.append(entry.uri)
            } catch let error as StatusListError {
                result.rejected[list.uri] = error
            } catch {
                result.rejected[list.uri] = StatusListError(.io, "cannot read \(list.file): \(error)")
            }
        }
        return result
    }

    /// Reads a file, refusing one larger than `limit` before reading it.
    private static func read(_ url: URL, limit: Int) throws -> Data {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let data = try handle.read(upToCount: limit + 1) ?? Data()
        guard data.count <= limit else {
            throw StatusListError(.tooLarge, "\(url.lastPathComponent) is larger than \(limit) bytes")
        }
        return data
    }
}
