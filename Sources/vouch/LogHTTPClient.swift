import VouchHTTP
import Foundation
import VouchLog
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A server that did not serve what the log needs: a finding (exit 1), not a usage error.
struct LogFetchError: Error, CustomStringConvertible {
    let description: String
}

/// Reads a Vouch server's log endpoints (`/v1/log/...`) over HTTP.
struct LogHTTPClient: Sendable {
    let base: String
    let apiKey: String?
    private let session: URLSession

    /// - Throws: `CLIError` unless `url` is an http(s) URL.
    init(url: String, apiKey: String?) throws {
        let trimmed = url.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard let parsed = URL(string: trimmed), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw CLIError.input("--url: \"\(url)\" is not an http(s) URL")
        }
        base = trimmed
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration)
    }

    /// GETs `path` (with the API key when `authorized`).
    ///
    /// - Throws: `CLIError` when the server cannot be reached at all.
    func get(_ path: String, authorized: Bool = false) async throws -> (status: Int, body: [UInt8]) {
        guard let url = URL(string: base + path) else { throw CLIError.input("bad path \(path)") }
        var request = URLRequest(url: url)
        if authorized, let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        do {
            let (data, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, [UInt8](data))
        } catch {
            throw CLIError.input("cannot reach \(base): \(error.localizedDescription)")
        }
    }

    /// A text resource; `nil` for 404.
    func text(_ path: String) async throws -> String? {
        let (status, body) = try await get(path)
        if status == 404 { return nil }
        guard status == 200 else { throw LogFetchError(description: "GET \(path) answered \(status)") }
        return String(decoding: body, as: UTF8.self)
    }

    /// A JSON object resource.
    func json(_ path: String, authorized: Bool = false) async throws -> [String: Any] {
        let (status, body) = try await get(path, authorized: authorized)
        let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        guard status == 200, let object else {
            let detail = object?["detail"] as? String ?? "HTTP \(status)"
            throw LogFetchError(description: "GET \(path): \(detail)")
        }
        return object
    }

    /// The tlog-tiles resource at `path`, e.g. `tile/0/000.p/5`; `nil` for 404.
    func tile(_ path: TilePath) async throws -> [UInt8]? {
        let (status, body) = try await get("/v1/log/\(path)")
        if status == 404 { return nil }
        guard status == 200 else { throw LogFetchError(description: "GET /v1/log/\(path) answered \(status)") }
        return body
    }

    /// Entries `start ..< end` of a log of `treeSize`: from `GET /v1/log/entries`
    /// with an API key, else from the public entry bundles (256 at a time).
    func entries(start: Int, end: Int, treeSize: Int) async throws -> [[UInt8]] {
        if apiKey != nil {
            let page = try await json("/v1/log/entries?start=\(start)&end=\(end)", authorized: true)
            let list = page["entries"] as? [[String: Any]] ?? []
            let entries = list.enumerated().compactMap { position, item -> [UInt8]? in
                guard item["index"] as? Int == start + position, let text = item["entry"] as? String else { return nil }
                return Data(base64Encoded: text).map { [UInt8]($0) }
            }
            guard entries.count == end - start else {
                throw LogFetchError(description: "GET /v1/log/entries served \(entries.count) of entries \(start)..<\(end)")
            }
            return entries
        }
        var entries: [[UInt8]] = []
        var index = start
        while index < end {
            let bundle = index / TilePath.fullWidth
            let width = TilePath.width(level: 0, index: bundle, treeSize: treeSize)
            let path = try TilePath(entriesIndex: bundle, width: width)
            guard let bytes = try await tile(path), let decoded = try? EntryBundle.decode(bytes),
                  decoded.count == width
            else { throw LogFetchError(description: "\(path) is missing or malformed") }
            let first = bundle * TilePath.fullWidth
            entries += decoded[(index - first)..<(min(end, first + width) - first)]
            index = first + width
        }
        return entries
    }
}

/// The tiles a streaming audit compares against, fetched ahead of it.
///
/// ``StreamingAudit`` reads tiles synchronously, one per level as it moves
/// along; ``prefetch(block:)`` fetches the tiles a block of 256 entries will
/// touch before those entries are appended, so no HTTP call blocks the audit.
final class RemoteTiles: TileStorage {
    let client: LogHTTPClient
    let treeSize: Int
    private var current: [Int: (index: Int, hashes: [[UInt8]]?)] = [:]

    init(client: LogHTTPClient, treeSize: Int) {
        self.client = client
        self.treeSize = treeSize
    }

    /// Fetches the tiles of every level that entries `block * 256 ..< (block + 1) * 256` reach.
    func prefetch(block: Int) async throws {
        var level = 0
        var index = block
        while true {
            let width = TilePath.width(level: level, index: index, treeSize: treeSize)
            guard width > 0 else { return }
            if current[level]?.index != index {
                let bytes = try await client.tile(try TilePath(level: level, index: index, width: width))
                current[level] = (index, bytes.flatMap { try? Tile(level: level, index: index, data: $0).hashes })
            }
            level += 1
            index >>= TilePath.height
        }
    }

    func readTile(level: Int, index: Int) throws -> [[UInt8]]? {
        guard let cached = current[level], cached.index == index else { return nil }
        return cached.hashes
    }
}
