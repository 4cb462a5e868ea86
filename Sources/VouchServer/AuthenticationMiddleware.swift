import Foundation
import Hummingbird
import Logging
import VouchHTTP
import VouchStore

/// Reads `Authorization: Bearer <key>` and puts the API key into the context.
///
/// A missing header leaves the context unauthenticated (public routes work);
/// a header with an unknown or revoked key is refused at once with 401, so
/// a typo in a key never silently falls back to anonymous access.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = VouchRequestContext
    let keys: APIKeyCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw Problem.unauthorized }
        let key: APIKey?
        do {
            key = try await keys.authenticateKey(secret: String(parts[1]).trimmingCharacters(in: .whitespaces))
        } catch {
            context.logger.error("API key lookup failed", metadata: ["error.type": "\(type(of: error))"])
            throw Problem.unavailable("the key store cannot be read")
        }
        guard let key else { throw Problem.unauthorized }
        var context = context
        context.apiKey = key
        context.logger[metadataKey: "vouch.api_key"] = .string(key.id)
        return try await next(request, context)
    }
}

/// Lets a request through only with an API key that holds `scope`, within its rate limit.
struct RequireScopeMiddleware: RouterMiddleware {
    typealias Context = VouchRequestContext
    let scope: APIScope
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let key = context.apiKey else { throw Problem.unauthorized }
        guard key.allows(scope) else { throw Problem.forbidden(scope.rawValue) }
        if let wait = limiter.take(key.id) { throw Problem.rateLimited(retryAfter: wait) }
        return try await next(request, context)
    }
}
