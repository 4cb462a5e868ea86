public import Hummingbird

/// The request context of a terminal process: Hummingbird's core storage
/// only. A terminal has no API keys (the issuer's ``VouchRequestContext``
/// carries one from the store, which a terminal does not link).
public struct TerminalRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// Bodies are read by hand under ``TerminalConfiguration/maximumBodySize``.
    public var maxUploadSize: Int { 64 * 1024 }
}
