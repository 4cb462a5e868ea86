import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchLog
import VouchServer
import VouchStore

/// `/v1/log/...` in-process: every endpoint, its answers and its errors.
@Suite struct LogRouterTests {
    func withApp(entries: Int = 0, _ body: @Sendable (ServerFixture, any TestClientProtocol) async throws -> Void)
        async throws
    {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        if entries > 0 { try await Self.fill(fixture, count: entries) }
        try await fixture.application().test(.router) { client in try await body(fixture, client) }
    }

    /// Appends `count` synthetic attestations in one bulk transaction (one checkpoint).
    static func fill(_ fixture: ServerFixture, count: Int) async throws {
        let now = Date()
        // A fresh seed per call: two fills within one second must not make the same cti.
        let seed = UUID().uuidString
        let items = (0..<count).map { i in
            PendingAttestation(
                cti: Digest.sha256(Array("cti \(i) \(seed)".utf8)).prefix(16).map { $0 }, kid: fixture.services.issuer.kid,
                vct: .age, tokenHash: Digest.sha256(Array("token \(i) \(seed)".utf8)), issuedAt: now,
                expiresAt: now.addingTimeInterval(3600))
        }
        _ = try await fixture.services.writer.commitBulk(items)
    }

    func expectProblem(_ response: TestResponse, _ status: HTTPResponse.Status, _ kind: String, field: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        #expect(response.json["type"] as? String == "urn:vouch:problem:\(kind)", "\(response.text)",
                sourceLocation: sourceLocation)
        if let field { #expect(response.json["field"] as? String == field, "\(response.text)", sourceLocation: sourceLocation) }
    }

    func get(_ client: any TestClientProtocol, _ uri: String, key: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    static func bytes(_ response: TestResponse) -> [UInt8] { Array(response.body.readableBytesView) }

    static func hash(_ value: Any?) -> [UInt8] {
        (value as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? []
    }

    // MARK: - Checkpoint and key

    @Test func emptyLogHasAKeyButNoCheckpoint() async throws {
        try await withApp { f, client in
            expectProblem(try await get(client, "/v1/log/checkpoint"), .notFound, "not-found")
            let key = try await get(client, "/v1/log/key")
            #expect(key.status == .ok)
            #expect(key.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(key.text == f.services.writer.verifierKey + "\n")
            #expect(try NoteVerifier(vkey: String(key.text.dropLast())).name == "vouch.localhost/log")
            // No tree to prove anything in yet: not found (a caller cannot know the size in advance).
            expectProblem(try await get(client, "/v1/log/proof/inclusion?index=0"), .notFound, "not-found")
            let empty = try await get(client, "/v1/log/proof/consistency?from=0")
            #expect(empty.status == .ok, "\(empty.text)")
            #expect(Self.hash(empty.json["to_root_hash"]) == MerkleHash.emptyRoot)
            expectProblem(try await get(client, "/v1/log/tile/0/000.p/1"), .notFound, "not-found")
            let none = try await get(client, "/v1/log/entries?start=0", key: f.adminKey)
            #expect(none.status == .ok)
            #expect((none.json["entries"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func checkpointIsASignedNoteOfTheWholeLog() async throws {
        try await withApp(entries: 5) { f, client in
            let response = try await get(client, "/v1/log/checkpoint")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(response.headers[.cacheControl] == "no-cache")
            let verifier = try NoteVerifier(vkey: f.services.writer.verifierKey)
            let checkpoint = try Checkpoint.open(note: Array(response.text.utf8), verifiers: [verifier],
                                                 origin: "vouch.localhost/log")
            #expect(checkpoint.size == 5)
            #expect(checkpoint.rootHash == (try await AuditLogReader(store: f.services.store).treeHash(size: 5)))
        }
    }

    // MARK: - Entries

    @Test func entriesNeedTheAuditScopeAndDecode() async throws {
        try await withApp(entries: 3) { f, client in
            expectProblem(try await get(client, "/v1/log/entries?start=0"), .unauthorized, "unauthorized")
            expectProblem(try await get(client, "/v1/log/entries?start=0", key: f.revokeKey), .forbidden, "forbidden")
            let response = try await get(client, "/v1/log/entries?start=1&end=10", key: f.adminKey)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.json["tree_size"] as? Int == 3)
            #expect(response.json["end"] as? Int == 3)
            let list = try #require(response.json["entries"] as? [[String: Any]])
            #expect(list.map { $0["index"] as? Int } == [1, 2])
            let first = list[0]
            let entry = Self.hash(first["entry"])
            #expect(first["leaf_hash"] as? String == MerkleHash.leaf(entry).hexString)
            let decoded = try LogEntry(cbor: entry)
            #expect(first["event"] as? String == "issued")
            #expect(first["vct"] as? String == "age")
            #expect(first["token"] as? String == decoded.token?.hexString)
            #expect(first["kid"] as? String == f.services.issuer.kid.hexString)
            #expect(first["time"] as? Int == Int(decoded.time))
            let past = try await get(client, "/v1/log/entries?start=7", key: f.adminKey)
            #expect(past.status == .ok)
            #expect((past.json["entries"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(arguments: [
        ("", HTTPResponse.Status.badRequest, "bad-request", "start"),
        ("?start=abc", .badRequest, "bad-request", "start"),
        ("?start=1.5", .badRequest, "bad-request", "start"),
        ("?start=", .badRequest, "bad-request", "start"),
        ("?start=1&start=2", .badRequest, "bad-request", "start"),
        ("?start=-1", .unprocessableContent, "invalid-field", "start"),
        ("?start=99999999999999999999", .unprocessableContent, "invalid-field", "start"),
        ("?start=0&end=x", .badRequest, "bad-request", "end"),
        ("?start=0&end=-1", .unprocessableContent, "invalid-field", "end"),
    ])
    func entriesRefuseBadRanges(query: String, status: HTTPResponse.Status, kind: String, field: String) async throws {
        try await withApp(entries: 1) { f, client in
            expectProblem(try await get(client, "/v1/log/entries" + query, key: f.adminKey), status, kind, field: field)
        }
    }

    /// Ranges the OpenAPI schema cannot relate (end before start, over one page) are clamped, not refused.
    @Test func entriesClampRanges() async throws {
        try await withApp(entries: 3) { f, client in
            let backwards = try await get(client, "/v1/log/entries?start=2&end=1", key: f.adminKey)
            #expect(backwards.status == .ok, "\(backwards.text)")
            #expect(backwards.json["start"] as? Int == 2 && backwards.json["end"] as? Int == 2)
            #expect((backwards.json["entries"] as? [Any])?.isEmpty == true)
            let wide = try await get(client, "/v1/log/entries?start=0&end=5000", key: f.adminKey)
            #expect(wide.status == .ok && wide.json["end"] as? Int == 3, "clamped to the log's size: \(wide.text)")
        }
    }

    // MARK: - Proofs

    @Test func inclusionAndConsistencyProofsVerify() async throws {
        try await withApp(entries: 7) { f, client in
            try await Self.fill(f, count: 6)
            let reader = AuditLogReader(store: f.services.store)
            let entries = try await reader.entries(in: 0..<13)
            for size in [1, 7, 13] {
                for index in [0, size / 2, size - 1] {
                    let r = try await get(client, "/v1/log/proof/inclusion?index=\(index)&size=\(size)")
                    #expect(r.status == .ok, "\(r.text)")
                    #expect(r.json["tree_size"] as? Int == size)
                    let proof = (r.json["proof"] as? [Any] ?? []).map(Self.hash)
                    let root = Self.hash(r.json["root_hash"])
                    #expect(Self.hash(r.json["leaf_hash"]) == MerkleHash.leaf(entries[index].entry))
                    #expect(MerkleProof.verifyInclusion(leafHash: MerkleHash.leaf(entries[index].entry), index: index,
                                                        size: size, proof: proof, root: root))
                    // Sizes 7 and 13 had checkpoints signed; 1 did not.
                    #expect((r.json["checkpoint"] != nil) == (size != 1))
                }
            }
            let latest = try await get(client, "/v1/log/proof/inclusion?index=3")
            #expect(latest.json["tree_size"] as? Int == 13)
            let c = try await get(client, "/v1/log/proof/consistency?from=7&to=13")
            #expect(c.status == .ok, "\(c.text)")
            #expect(MerkleProof.verifyConsistency(
                from: 7, to: 13, oldRoot: Self.hash(c.json["from_root_hash"]), newRoot: Self.hash(c.json["to_root_hash"]),
                proof: (c.json["proof"] as? [Any] ?? []).map(Self.hash)))
            #expect(Self.hash(c.json["from_root_hash"]) == (try await reader.treeHash(size: 7)))
            let whole = try await get(client, "/v1/log/proof/consistency?from=3")
            #expect(whole.json["to"] as? Int == 13)
        }
    }

    @Test(arguments: [
        ("inclusion", "", HTTPResponse.Status.badRequest, "bad-request", "index"),
        ("inclusion", "?index=x", .badRequest, "bad-request", "index"),
        ("inclusion", "?index=1&size=y", .badRequest, "bad-request", "size"),
        ("inclusion", "?index=4", .notFound, "not-found", nil),
        ("inclusion", "?index=-1", .unprocessableContent, "invalid-field", "index"),
        ("inclusion", "?index=0&size=5", .notFound, "not-found", nil),
        ("inclusion", "?index=0&size=0", .unprocessableContent, "invalid-field", "size"),
        ("inclusion", "?index=2&size=2", .notFound, "not-found", nil),
        ("consistency", "", .badRequest, "bad-request", "from"),
        ("consistency", "?from=one", .badRequest, "bad-request", "from"),
        ("consistency", "?from=3&to=2", .notFound, "not-found", nil),
        ("consistency", "?from=-1", .unprocessableContent, "invalid-field", "from"),
        ("consistency", "?from=1&to=5", .notFound, "not-found", nil),
    ] as [(String, String, HTTPResponse.Status, String, String?)])
    func proofsRefuseBadParameters(kind: String, query: String, status: HTTPResponse.Status, problem: String,
                                   field: String?) async throws {
        try await withApp(entries: 4) { _, client in
            expectProblem(try await get(client, "/v1/log/proof/\(kind)" + query), status, problem, field: field)
        }
    }

    // MARK: - Tiles

    @Test func tilesAndEntryBundles() async throws {
        try await withApp(entries: 300) { f, client in
            let reader = AuditLogReader(store: f.services.store)
            let entries = try await reader.entries(in: 0..<300)
            let leaves = entries.map(\.leafHash)

            let full = try await get(client, "/v1/log/tile/0/000")
            #expect(full.status == .ok)
            #expect(full.headers[.contentType] == "application/octet-stream")
            #expect(full.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(Self.bytes(full) == leaves[0..<256].flatMap { $0 })

            let partial = try await get(client, "/v1/log/tile/0/001.p/44")
            #expect(partial.status == .ok)
            #expect(partial.headers[.cacheControl] == "public, max-age=60")
            #expect(Self.bytes(partial) == leaves[256..<300].flatMap { $0 })
            // A narrower prefix of a tile is the same bytes, whenever it is asked for.
            #expect(Self.bytes(try await get(client, "/v1/log/tile/0/001.p/3")) == leaves[256..<259].flatMap { $0 })

            let level1 = try await get(client, "/v1/log/tile/1/000.p/1")
            #expect(Self.bytes(level1) == MerkleHash.root(leafHashes: Array(leaves[0..<256])))

            let bundle = try await get(client, "/v1/log/tile/entries/000")
            #expect(try EntryBundle.decode(Self.bytes(bundle)) == entries[0..<256].map(\.entry))
            #expect(bundle.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let tail = try await get(client, "/v1/log/tile/entries/001.p/44")
            #expect(try EntryBundle.decode(Self.bytes(tail)) == entries[256..<300].map(\.entry))
        }
    }

    @Test(arguments: [
        "0/001", "0/001.p/45", "0/002.p/1", "1/000", "1/000.p/2", "2/000.p/1", "entries/001", "entries/001.p/45",
        "0/0000", "0//000", "0/000/", "00/000", "0/000.p/09", "0/000.p/256", "0/000.p/0", "0/x000/000", "64/000",
        "entries", "x", "0/abc", "0/-01", "entries/000.p", "0/%30%30%30", "0/x001/x002/x003/x004/x005/x006/x007/000",
    ])
    func tilesBeyondTheLogOrMalformedAre404(path: String) async throws {
        try await withApp(entries: 300) { _, client in
            expectProblem(try await get(client, "/v1/log/tile/" + path), .notFound, "not-found")
        }
    }

    @Test func logRoutesAppearInMetricsAsPatterns() async throws {
        try await withApp(entries: 1) { _, client in
            _ = try await get(client, "/v1/log/tile/0/000.p/1")
            let metrics = try await get(client, "/metrics").text
            #expect(metrics.contains("/v1/log/tile/**"))
            #expect(!metrics.contains("/v1/log/tile/0/000.p/1"))
        }
    }
}
