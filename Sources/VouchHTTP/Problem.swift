import Foundation
public import Hummingbird
import Logging

/// An RFC 9457 problem: the error answer of every route.
///
/// `type` is a stable URI per kind of error; `field` names the request field
/// that was wrong. Messages describe the problem, never echo personal values.
public struct Problem: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    /// Last segment of the type URI, e.g. `invalid-field`.
    public let kind: String
    public let title: String
    public let detail: String?
    public let field: String?
    public var headers: HTTPFields

    public static let typeBase = "urn:vouch:problem:"

    public init(_ status: HTTPResponse.Status, kind: String, title: String, detail: String? = nil, field: String? = nil,
                headers: HTTPFields = [:]) {
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.field = field
        self.headers = headers
    }

    public var type: String { Self.typeBase + kind }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var object: [String: Any] = ["type": type, "title": title, "status": Int(status.code)]
        if let detail { object["detail"] = detail }
        if let field { object["field"] = field }
        object["instance"] = request.uri.path
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSON.encode(object))))
    }

    // MARK: - The kinds

    package static func invalidField(_ field: String, _ detail: String) -> Problem {
        Problem(.unprocessableContent, kind: "invalid-field", title: "A field is invalid", detail: detail, field: field)
    }

    package static func badRequest(_ detail: String, field: String? = nil) -> Problem {
        Problem(.badRequest, kind: "bad-request", title: "The request is malformed", detail: detail, field: field)
    }

    package static func unsupportedMediaType(_ detail: String) -> Problem {
        Problem(.unsupportedMediaType, kind: "unsupported-media-type", title: "Unsupported media type", detail: detail)
    }

    package static func notAcceptable(_ detail: String) -> Problem {
        Problem(.notAcceptable, kind: "not-acceptable", title: "Cannot produce the requested media type", detail: detail)
    }

    package static func tooLarge(_ limit: Int) -> Problem {
        Problem(.contentTooLarge, kind: "body-too-large", title: "Request body too large",
                detail: "the limit is \(limit) bytes")
    }

    package static func notFound(_ detail: String) -> Problem {
        Problem(.notFound, kind: "not-found", title: "Not found", detail: detail)
    }

    package static let unauthorized = Problem(.unauthorized, kind: "unauthorized", title: "An API key is required",
                                      detail: "send Authorization: Bearer <key>",
                                      headers: [.wwwAuthenticate: "Bearer realm=\"vouch\""])

    package static func forbidden(_ scope: String) -> Problem {
        Problem(.forbidden, kind: "forbidden", title: "The API key lacks a scope", detail: "this route needs the \(scope) scope")
    }

    package static func rateLimited(retryAfter: Int) -> Problem {
        Problem(.tooManyRequests, kind: "rate-limited", title: "Too many requests",
                detail: "retry after \(retryAfter) s", headers: [.retryAfter: String(retryAfter)])
    }

    package static func conflict(_ detail: String) -> Problem {
        Problem(.conflict, kind: "conflict", title: "Conflict with the current state", detail: detail)
    }

    package static func notEligible(_ detail: String, field: String?) -> Problem {
        Problem(.unprocessableContent, kind: "not-eligible", title: "Nothing can be issued", detail: detail, field: field)
    }

    package static func unavailable(_ detail: String) -> Problem {
        Problem(.serviceUnavailable, kind: "unavailable", title: "Service unavailable", detail: detail)
    }

    package static let internalError = Problem(.internalServerError, kind: "internal", title: "Internal error",
                                       detail: "the error was logged")
}

/// Turns every error a route throws into problem JSON: ``Problem`` as it is,
/// Hummingbird's own errors (404, 405, 413, ...) with their status, anything
/// else as a 500 whose details go to the log only.
package struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as HTTPError {
            let problem: Problem
            switch error.status {
            case .notFound: problem = .notFound("no route for \(request.method) \(request.uri.path)")
            case .contentTooLarge: problem = .tooLarge(request.bodyLimit)
            case .methodNotAllowed:
                problem = Problem(.methodNotAllowed, kind: "method-not-allowed", title: "Method not allowed",
                                  detail: "\(request.method) is not allowed on \(request.uri.path)", headers: error.headers)
            default:
                problem = Problem(error.status, kind: "http-\(error.status.code)", title: error.status.reasonPhrase,
                                  detail: error.body)
            }
            return try problem.response(from: request, context: context)
        } catch {
            context.logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))"])
            return try Problem.internalError.response(from: request, context: context)
        }
    }
}

extension Request {
    fileprivate var bodyLimit: Int { 64 * 1024 }
}
