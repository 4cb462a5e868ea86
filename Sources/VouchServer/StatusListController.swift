import Foundation
import Hummingbird
import VouchCore
import VouchHTTP

/// `GET /v1/status/{list}`: the signed Status List Token, for terminals to fetch whole (format.md §4).
///
/// Public and cacheable: `Cache-Control: max-age` is the token's `ttl`, the
/// ETag is a hash of the token, and a matching `If-None-Match` gets 304, so a
/// terminal polling every `ttl` seconds downloads a list only when it changed.
struct StatusListController {
    let services: VouchServices

    func addRoutes(to router: Router<VouchRequestContext>) {
        router.get("/v1/status/:list", use: statusList)
    }

    @Sendable func statusList(_ request: Request, context: VouchRequestContext) async throws -> Response {
        guard let id = Self.listNumber(context.parameters.get("list") ?? ""),
              let published = try await services.statusLists.publisher.token(list: id)
        else { throw Problem.notFound("no such status list") }
        var headers: HTTPFields = [.eTag: published.etag, .cacheControl: "public, max-age=\(published.timeToLive)"]
        if Self.matches(ifNoneMatch: request.headers[values: .ifNoneMatch], etag: published.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = StatusListToken.mediaType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: published.token)))
    }

    /// A list number: decimal digits without a leading zero (except `0`), at most 9 of them.
    static func listNumber(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              text == "0" || !text.hasPrefix("0")
        else { return nil }
        return Int(text)
    }

    /// Whether `If-None-Match` names the current ETag (RFC 9110 §13.1.2: weak comparison, `*` matches any).
    static func matches(ifNoneMatch values: [String], etag: String) -> Bool {
        for value in values {
            for candidate in value.split(separator: ",") {
                var tag = candidate.trimmingCharacters(in: .whitespaces)
                if tag == "*" { return true }
                if tag.hasPrefix("W/") { tag.removeFirst(2) }
                if tag == etag { return true }
            }
        }
        return false
    }
}
