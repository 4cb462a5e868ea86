public import Hummingbird
public import VouchStore

/// The request context: Hummingbird's core storage plus the authenticated API key.
public struct VouchRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthenticationMiddleware`` when a valid bearer key was given.
    public var apiKey: APIKey?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.apiKey = nil
    }

    /// Bodies are read by hand under ``ServerConfiguration/maximumBodySize``.
    public var maxUploadSize: Int { 64 * 1024 }
}
