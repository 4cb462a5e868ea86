import Foundation
import Hummingbird
import Logging
import VouchCore
import VouchHTTP
import VouchLog
import VouchStore

/// The audit log over HTTP (format.md §5): the signed checkpoint, the note
/// verifier key, RFC 9162 proofs and C2SP tlog-tiles, all public; the decoded
/// entries for holders of the audit scope.
///
/// Every parameter is checked before the store is read, so bad input is a
/// 4xx problem naming the parameter; a 5xx means the store itself failed
/// (a missing tile is a damaged database, not a caller's mistake).
struct LogController {
    /// The most entries one `GET /v1/log/entries` returns.
    static let maximumEntries = AuditLogReader.maximumPageSize
    /// `Cache-Control` of what a path names forever: full tiles and bundles.
    static let immutable = "public, max-age=31536000, immutable"
    /// `Cache-Control` of partial tiles, which the full tile replaces once it exists.
    static let partial = "public, max-age=60"

    let services: VouchServices
    var reader: AuditLogReader { AuditLogReader(store: services.store) }

    func addRoutes(public router: Router<VouchRequestContext>, audit: RouterGroup<VouchRequestContext>) {
        router.get("/v1/log/checkpoint", use: checkpoint)
        router.get("/v1/log/key", use: key)
        router.get("/v1/log/proof/inclusion", use: inclusionProof)
        router.get("/v1/log/proof/consistency", use: consistencyProof)
        router.get("/v1/log/tile/**", use: tile)
        audit.get("/v1/log/entries", use: entries)
    }

    // MARK: - Checkpoint and key

    /// The newest signed checkpoint, a C2SP signed note.
    @Sendable func checkpoint(_ request: Request, context: VouchRequestContext) async throws -> Response {
        guard let latest = try await reading(context, { try await reader.latestCheckpoint() }) else {
            throw Problem.notFound("the log is empty: no checkpoint has been signed yet")
        }
        return Self.text(latest.note, cacheControl: "no-cache")
    }

    /// The C2SP `vkey` that verifies the checkpoints.
    @Sendable func key(_ request: Request, context: VouchRequestContext) async throws -> Response {
        Self.text(services.writer.verifierKey + "\n", cacheControl: "public, max-age=3600")
    }

    // MARK: - Entries (audit scope)

    /// Entries `start ..< end` that exist, each with its CBOR, leaf hash and decoded fields.
    @Sendable func entries(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let start = try query.required("start")
        let requestedEnd = try query.optional("end")
        guard start >= 0 else { throw Problem.invalidField("start", "must be 0 or more") }
        if let end = requestedEnd, end < 0 { throw Problem.invalidField("end", "must be 0 or more") }
        let size = try await reading(context) { try await reader.treeSize() }
        // Clamped, not refused: to the log's size, to one page, and an end before start reads nothing.
        let end = max(start, min(requestedEnd ?? start + Self.maximumEntries, start + Self.maximumEntries, size))
        let stored = try await reading(context) { try await reader.entries(in: start..<end) }
        // Written by hand: JSONSerialization spent ~100 µs an entry on 1000-entry pages.
        var body = EntryPageJSON()
        body.page(treeSize: size, start: start, end: end, entries: stored)
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body.bytes)))
    }

    // MARK: - Proofs

    /// The RFC 9162 inclusion proof of entry `index` in the tree of `size` (default: the whole log).
    @Sendable func inclusionProof(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let index = try query.required("index")
        let requestedSize = try query.optional("size")
        let treeSize = try await reading(context) { try await reader.treeSize() }
        let size = requestedSize ?? treeSize
        guard index >= 0 else { throw Problem.invalidField("index", "must be 0 or more") }
        if let requestedSize, requestedSize < 1 { throw Problem.invalidField("size", "must be 1 or more") }
        // A tree or an entry the log does not have (yet) is not found: the proof does not exist.
        guard size <= treeSize, size >= 1 else { throw Problem.notFound("the log has \(treeSize) entries, no tree of size \(size)") }
        guard index < size else { throw Problem.notFound("the tree of size \(size) has no entry \(index)") }
        let (leaf, proof, root) = try await reading(context) {
            try await reader.withTiles { tiles, _ in
                let hashes = TileHashReader(storage: tiles)
                return (try hashes.hash(level: 0, index: index), try hashes.inclusionProof(index: index, size: size),
                        try hashes.treeHash(size: size))
            }
        }
        var object: [String: Any] = [
            "index": index, "tree_size": size, "leaf_hash": Self.base64(leaf), "proof": proof.map(Self.base64),
            "root_hash": Self.base64(root),
        ]
        if let note = try await reading(context, { try await reader.checkpoint(size: size) })?.note {
            object["checkpoint"] = note
        }
        return JSON.response(object)
    }

    /// The RFC 9162 consistency proof from tree size `from` to `to` (default: the whole log).
    @Sendable func consistencyProof(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let from = try query.required("from")
        let requestedTo = try query.optional("to")
        let treeSize = try await reading(context) { try await reader.treeSize() }
        let to = requestedTo ?? treeSize
        guard to >= 0 else { throw Problem.invalidField("to", "must be 0 or more") }
        guard from >= 0 else { throw Problem.invalidField("from", "must be 0 or more") }
        // A tree the log does not have (yet), or a larger tree than the later one, has no proof: not found.
        guard to <= treeSize else { throw Problem.notFound("the log has \(treeSize) entries, no tree of size \(to)") }
        guard from <= to else { throw Problem.notFound("no consistency proof from size \(from) to the smaller \(to)") }
        let (proof, fromRoot, toRoot) = try await reading(context) {
            try await reader.withTiles { tiles, _ in
                let hashes = TileHashReader(storage: tiles)
                return (try hashes.consistencyProof(from: from, to: to), try hashes.treeHash(size: from),
                        try hashes.treeHash(size: to))
            }
        }
        return JSON.response([
            "from": from, "to": to, "proof": proof.map(Self.base64), "from_root_hash": Self.base64(fromRoot),
            "to_root_hash": Self.base64(toRoot),
        ])
    }

    // MARK: - Tiles

    /// A C2SP tlog-tiles hash tile or entry bundle: `/v1/log/tile/<L>/<N>[.p/<W>]`, `/v1/log/tile/entries/<N>[.p/<W>]`.
    @Sendable func tile(_ request: Request, context: VouchRequestContext) async throws -> Response {
        // The raw path, not `parameters.getCatchAll()`: that drops empty
        // segments, and `tile/0//000` must not name the same bytes as `tile/0/000`.
        let prefix = "/v1/log/"
        let raw = request.uri.path
        let path: TilePath
        do throws(LogError) {
            guard raw.hasPrefix(prefix) else { throw LogError(.malformedTilePath, "not under \(prefix)") }
            path = try TilePath(parsing: String(raw.dropFirst(prefix.count)))
        } catch {
            throw Problem.notFound("not a C2SP tlog-tiles path: \(error.reason)")
        }
        let bytes: [UInt8]?
        do {
            switch path.kind {
            case .hashes(let level):
                bytes = try await reader.tile(level: level, index: path.index, width: path.width)
            case .entries:
                bytes = try await reader.entryBundle(index: path.index, width: path.width)
            }
        } catch let error as StoreError where error.code == .invalidInput {
            bytes = nil
        } catch {
            throw Self.problem(error, context)
        }
        guard let bytes else { throw Problem.notFound("\(path) is beyond the log") }
        return Response(
            status: .ok,
            headers: [.contentType: "application/octet-stream",
                      .cacheControl: path.isPartial ? Self.partial : Self.immutable],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    // MARK: - Helpers

    /// Runs a store read, turning its failures into problems (details to the log only).
    func reading<T>(_ context: VouchRequestContext, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw Self.problem(error, context)
        }
    }

    static func problem(_ error: any Error, _ context: VouchRequestContext) -> Problem {
        let code = (error as? StoreError)?.code.name ?? "\(type(of: error))"
        context.logger.error("audit log read failed", metadata: ["error.type": "\(code)"])
        if let error = error as? StoreError, error.code == .database {
            return .unavailable("the audit log cannot be read")
        }
        return .internalError
    }

    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    static func text(_ text: String, cacheControl: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: cacheControl],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
