public import Configuration
public import Hummingbird
public import HummingbirdCore

/// Hummingbird's own settings, read by Hummingbird's own initializers from the one ``VouchSettings`` reader.
///
/// Hummingbird 2.28 reads `host`, `port` and `serverName` in `ApplicationConfiguration(reader:)` and
/// `idleTimeout` in `HTTP1Channel.Configuration(reader:)`. Both get our reader scoped to `http`, so
/// `http.serverName` and `http.idleTimeout` come from the command line, then `VOUCH_HTTP_SERVER_NAME` /
/// `VOUCH_HTTP_IDLE_TIMEOUT`, then the file (`"http": {...}`), with the same errors as every other setting.
///
/// The address keeps its one documented setting, ``Setting/listen`` (`--listen`, `VOUCH_LISTEN`,
/// `"listen"`): its host and port are put in front of that reader as `http.host` and `http.port`, so
/// Hummingbird binds where `listen` says and nothing else (an unrelated `HTTP_PORT` variable, say) can move
/// the server. Hummingbird reads no backlog from a reader; ``Setting/backlog`` (`http.backlog`) is read
/// from the same reader here and set on the configuration Hummingbird made.
public struct HTTPServerSettings: Sendable {
    /// What `Application(configuration:)` takes: address, `Server` header, backlog.
    public var application: ApplicationConfiguration
    /// What `.http1(configuration:)` takes: the idle timeout.
    public var channel: HTTP1Channel.Configuration

    /// Defaults, for tests and callers without settings: `Server: vouch`, backlog 256, no idle timeout.
    public init(host: String = "127.0.0.1", port: Int = 8080, serverName: String = "vouch") {
        application = ApplicationConfiguration(address: .hostname(host, port: port), serverName: serverName)
        channel = HTTP1Channel.Configuration()
    }

    /// Reads Hummingbird's settings through `settings.reader`, with `host` and `port` from `listen`.
    ///
    /// - Throws: ``ConfigurationError`` naming the option, variable or file key of a bad value.
    public init(settings: VouchSettings, host: String, port: Int) throws(ConfigurationError) {
        for setting in [Setting.serverName, .idleTimeout, .backlog] { _ = try settings.origin(of: setting) }
        if let seconds = try settings.number(.idleTimeout), !(seconds.isFinite && seconds > 0 && seconds <= 86400) {
            throw settings.invalid(.idleTimeout, "must be more than 0 and at most 86400 seconds")
        }
        let backlog = try settings.integer(.backlog) ?? 256
        guard (1...65535).contains(backlog) else { throw settings.invalid(.backlog, "must be 1 to 65535") }
        let reader = settings.hummingbirdReader(host: host, port: port)
        var application = ApplicationConfiguration(reader: reader)
        if application.serverName == nil { application.serverName = "vouch" }
        application.backlog = backlog
        self.application = application
        self.channel = HTTP1Channel.Configuration(reader: reader)
    }

    /// The HTTP/1.1 server Hummingbird builds with ``channel``.
    public var server: HTTPServerBuilder { .http1(configuration: channel) }

    /// The `Server` header.
    public var serverName: String { application.serverName ?? "vouch" }
}

extension VouchSettings {
    /// The merged reader scoped to `http`, with `host` and `port` (from `listen`) in front of every source.
    public func hummingbirdReader(host: String, port: Int) -> ConfigReader {
        let listen = InMemoryProvider(name: "listen", values: [
            AbsoluteConfigKey(ConfigKey("http.host")): ConfigValue(.string(host), isSecret: false),
            AbsoluteConfigKey(ConfigKey("http.port")): ConfigValue(.int(port), isSecret: false),
        ])
        return ConfigReader(providers: [listen] + sources.map(\.provider)).scoped(to: "http")
    }
}
