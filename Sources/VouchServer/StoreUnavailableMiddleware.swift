import Logging
import Hummingbird
import VouchHTTP
import VouchStore

/// Answers 503 problem JSON when the store cannot be reached (PostgreSQL down, a timeout), whichever route ran.
///
/// Inside ``ProblemMiddleware``: a `StoreError.database` that no controller
/// turned into a problem is the database's failure, not a bug, so the client
/// gets `urn:vouch:problem:unavailable` (retry later) rather than a 500. The
/// reason stays in the store's error and is not sent.
struct StoreUnavailableMiddleware: RouterMiddleware {
    typealias Context = VouchRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as StoreError where error.code == .database {
            context.logger.warning("store unavailable", metadata: ["store.error.code": "\(error.code)"])
            throw Problem.unavailable("the store cannot be reached")
        }
    }
}
