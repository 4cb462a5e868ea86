public import Hummingbird

/// Answers a request for a known path with a method it does not serve with
/// 405 and `Allow` (RFC 9110 §15.5.6), instead of the router's 404.
///
/// Hummingbird's router sends every unmatched request, whatever the reason,
/// through the middleware chain to its not-found responder. Added as the last
/// middleware of a router, after every route (``Router/addMethodNotAllowed()``),
/// this one wraps only that responder: it matches the path against the route
/// templates and, if some route has the path, names their methods. One
/// router-level rule, so a new route gets its 405 with no code of its own.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Route templates split into segments, with the methods each serves.
    let routes: [(segments: [Substring], methods: Set<String>)]

    init(routes: [(path: String, method: String)]) {
        var byPath: [String: Set<String>] = [:]
        for route in routes { byPath[route.path, default: []].insert(route.method) }
        self.routes = byPath.map { (Self.segments($0.key), $0.value) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = Self.segments(request.uri.path)
        let methods = routes.filter { Self.matches(path, $0.segments) }.reduce(into: Set<String>()) { $0.formUnion($1.methods) }
        guard !methods.isEmpty, !methods.contains(request.method.rawValue) else { return try await next(request, context) }
        throw HTTPError(.methodNotAllowed, headers: [.allow: methods.sorted().joined(separator: ", ")])
    }

    static func segments(_ path: String) -> [Substring] { path.split(separator: "/", omittingEmptySubsequences: true) }

    /// A template segment `{id}`, `:id` or `*` matches any one segment; `**` matches the rest (at least one).
    static func matches(_ path: [Substring], _ template: [Substring]) -> Bool {
        var index = 0
        for (position, part) in template.enumerated() {
            if part == "**" { return path.count > position }
            guard index < path.count else { return false }
            let wildcard = part == "*" || part.hasPrefix(":") || (part.hasPrefix("{") && part.hasSuffix("}"))
            guard wildcard || part == path[index] else { return false }
            index += 1
        }
        return index == path.count
    }
}

extension Router {
    /// Adds ``MethodNotAllowedMiddleware`` for the routes added so far; call it after the last route.
    public func addMethodNotAllowed() {
        let known = routes.map { (path: "\($0.path)", method: $0.method.rawValue) }
        add(middleware: MethodNotAllowedMiddleware<Context>(routes: known))
    }
}
