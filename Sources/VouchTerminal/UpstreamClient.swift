public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The answer to a conditional GET.
public enum UpstreamResponse: Sendable, Equatable {
    /// 304: what the terminal holds is still current.
    case notModified
    /// 200 with the body and its ETag, if any.
    case fetched(body: [UInt8], etag: String?)
}

/// Why an upstream request failed (offline, refused, or an unexpected answer).
public struct UpstreamError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(description: String) { self.description = description }
}

/// How a terminal reaches its upstream; a protocol so tests can count and stop requests.
public protocol UpstreamFetching: Sendable {
    /// GETs `url`, sending `If-None-Match` when `etag` is given.
    ///
    /// - Parameter limit: the largest body accepted.
    /// - Throws: ``UpstreamError`` for a network failure or a status other than 200 and 304.
    func get(_ url: URL, accept: String, ifNoneMatch etag: String?, limit: Int) async throws -> UpstreamResponse
}

/// ``UpstreamFetching`` over Foundation's `URLSession` (libcurl on Linux):
/// no HTTP cache of its own (the terminal keeps ETags itself), short timeouts.
public struct URLSessionUpstream: UpstreamFetching {
    private let session: URLSession

    public init(timeout: TimeInterval = 10) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 3
        configuration.httpAdditionalHeaders = ["User-Agent": "vouch-terminal"]
        session = URLSession(configuration: configuration)
    }

    public func get(_ url: URL, accept: String, ifNoneMatch etag: String?, limit: Int) async throws -> UpstreamResponse {
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        request.setValue(accept, forHTTPHeaderField: "Accept")
        if let etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw UpstreamError(description: "\(url.host ?? "upstream") unreachable: \((error as NSError).localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else {
            throw UpstreamError(description: "not an HTTP answer from \(url.absoluteString)")
        }
        switch http.statusCode {
        case 304:
            return .notModified
        case 200:
            guard data.count <= limit else {
                throw UpstreamError(description: "\(url.path): \(data.count) bytes, limit \(limit)")
            }
            return .fetched(body: [UInt8](data), etag: http.value(forHTTPHeaderField: "ETag"))
        default:
            throw UpstreamError(description: "\(url.path): HTTP \(http.statusCode)")
        }
    }
}
