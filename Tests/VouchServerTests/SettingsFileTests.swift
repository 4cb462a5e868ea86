import VouchServerTesting
import VouchTerminal
import VouchHTTP
import Foundation
import Testing
import VouchServer

@Suite("SettingsFile and VouchSettings (swift-configuration)")
struct SettingsFileTests {
    func write(_ text: String) throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vouch-conf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("vouch.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    @Test("file keys are read; relative paths are relative to the file; variables override the file, options both")
    func precedence() async throws {
        let (directory, path) = try write("""
            {"listen": "0.0.0.0:9090", "data_dir": "state", "certs_dir": "/etc/vouch/certs", "rate_limit": 25,
             "api_key_cache_seconds": 0.5, "status_list_size": 200000, "log_level": "debug",
             "issuer": "https://id.example.org", "http": {"serverName": "vouch-test"}}
            """)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try await SettingsFile.load(path: path)
        let fromFile = try ServerConfiguration(settings: VouchSettings(environment: [:], file: file))
        #expect(fromFile.port == 9090 && fromFile.host == "0.0.0.0")
        #expect(fromFile.dataDirectory.path == directory.appendingPathComponent("state").standardizedFileURL.path)
        #expect(fromFile.certsDirectory.path == "/etc/vouch/certs")
        #expect(fromFile.rateLimit == 25 && fromFile.apiKeyCacheSeconds == 0.5)
        #expect(fromFile.statusLists.listSize == 200_000)
        #expect(fromFile.issuer == "https://id.example.org")
        #expect(fromFile.serverName == "vouch-test", "Hummingbird's own setting, read by its ApplicationConfiguration(reader:)")

        let environment = ["VOUCH_LISTEN": "127.0.0.1:7000", "VOUCH_RATE_LIMIT": "9", "VOUCH_DATA_DIR": "elsewhere"]
        let overridden = VouchSettings(environment: environment, file: file)
        let configuration = try ServerConfiguration(settings: overridden)
        #expect(configuration.port == 7000, "a variable overrides the file")
        #expect(configuration.rateLimit == 9)
        #expect(configuration.dataDirectory.lastPathComponent == "elsewhere", "a variable's path is not the file's")
        #expect(try overridden.origin(of: .listen) == .environment)
        #expect(try overridden.origin(of: .certsDir) == .file(path))
        #expect(try overridden.origin(of: .upstream) == nil)

        let optioned = overridden.overriding([.listen: "127.0.0.1:6000"])
        #expect(try ServerConfiguration(settings: optioned).port == 6000, "an option overrides both")
        #expect(try optioned.origin(of: .listen) == .commandLine)
        #expect(try Serve_logLevel(optioned) == "debug")
    }

    /// `LOG_LEVEL` is a setting without the `VOUCH_` prefix; read it as `vouch serve` does.
    func Serve_logLevel(_ settings: VouchSettings) throws -> String? { try settings.string(.logLevel) }

    @Test("a bad value names its source: the file and key, the variable, or the option")
    func locatesErrors() async throws {
        let (directory, path) = try write(#"{"listen": "x", "rate_limit": -1}"#)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try await SettingsFile.load(path: path)
        let error = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration(settings: VouchSettings(environment: [:], file: file))
        }
        #expect(error?.variable == path)
        #expect(error?.message.hasPrefix("key \"listen\" (VOUCH_LISTEN): must be HOST:PORT") == true, "\(String(describing: error))")
        let fromVariable = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration(settings: VouchSettings(environment: ["VOUCH_LISTEN": "y"], file: file))
        }
        #expect(fromVariable?.variable == "VOUCH_LISTEN")
        let fromOption = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration(settings: VouchSettings(arguments: [.listen: "z"], environment: [:], file: file))
        }
        #expect(fromOption?.variable == "--listen")
        let rate = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration(settings: VouchSettings(environment: ["VOUCH_LISTEN": "127.0.0.1:1"], file: file))
        }
        #expect(rate?.message == "key \"rate_limit\" (VOUCH_RATE_LIMIT): must be a positive number")
        let kind = #expect(throws: ConfigurationError.self) {
            try VouchSettings(environment: ["VOUCH_STATUS_TTL": "1.5"]).checkKinds()
        }
        #expect(kind?.description == "VOUCH_STATUS_TTL: must be an integer")
    }

    @Test("file errors name the file, the key and the problem", arguments: [
        (#"{"listen": 8080}"#, #"key "listen" (VOUCH_LISTEN): must be a string, not number"#),
        (#"{"rate_limit": "50"}"#, #"key "rate_limit" (VOUCH_RATE_LIMIT): must be a number, not string"#),
        (#"{"status_ttl": 1.5}"#, #"key "status_ttl" (VOUCH_STATUS_TTL): must be an integer, not number"#),
        (#"{"rate_limt": 50}"#, #"unknown key "rate_limt" (did you mean "rate_limit"?)"#),
        (#"{"log_level": true}"#, #"must be a string, not boolean"#),
        (#"{"listen": null}"#, #"must be a string, not null"#),
        (#"{"policies_dir": ["a"]}"#, #"must be a string, not array"#),
        (#"{"http": {"serverNam": "x"}}"#, #"unknown key "http.serverNam" (did you mean "http.serverName"?)"#),
        (#"{"listen": "a", "listen": "b"}"#, "duplicate"),
        (#"["listen"]"#, "must be a JSON object of settings, not array"),
        ("listen = \"127.0.0.1:8080\"\n", "invalid JSON"),
        (#"{"listen": "a"} x"#, "invalid JSON"),
    ])
    func fileErrors(text: String, message: String) async throws {
        let (directory, path) = try write(text)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try await SettingsFile.load(path: path)
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            #expect(error.variable == path, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test("invalid UTF-8, an oversized file and a missing file are refused; {} sets nothing")
    func unreadable() async throws {
        let (directory, path) = try write("{}")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await SettingsFile.load(path: path).settings.isEmpty)
        try Data([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D]).write(to: URL(fileURLWithPath: path))
        await #expect(throws: ConfigurationError.self) { try await SettingsFile.load(path: path) }
        try Data(repeating: 0x20, count: SettingsFile.maximumSize + 1).write(to: URL(fileURLWithPath: path))
        await #expect(throws: ConfigurationError.self) { try await SettingsFile.load(path: path) }
        await #expect(throws: ConfigurationError.self) { try await SettingsFile.load(path: path + ".missing") }
    }

    @Test("secret settings are marked secret in the ConfigReader, whatever the source")
    func secrets() async throws {
        let (directory, path) = try write(#"{"issuer_key": "/etc/vouch/issuer.key.pem", "issuer_cert": "/etc/c.pem"}"#)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(Setting.all.filter(\.isSecret).map(\.key).sorted() == ["api_key", "database_url", "issuer_key"])
        let file = try await SettingsFile.load(path: path)
        let settings = VouchSettings(environment: ["VOUCH_API_KEY": "vk_secret"], file: file)
        #expect(try settings.string(.issuerKey) == "/etc/vouch/issuer.key.pem")
        #expect(try settings.string(.apiKey) == "vk_secret")
        // Each source marks them secret (so swift-configuration's access reporters redact them); others are not.
        #expect(settings.isMarkedSecret(.issuerKey), "from the file")
        #expect(settings.isMarkedSecret(.apiKey), "from the environment")
        #expect(!settings.isMarkedSecret(.issuerCert))
        #expect(VouchSettings(arguments: [.apiKey: "k"], environment: [:]).isMarkedSecret(.apiKey), "from the command line")
    }

    @Test("every setting has a distinct key and variable; the old variable names are kept")
    func catalog() {
        #expect(Set(Setting.all.map(\.key)).count == Setting.all.count)
        #expect(Set(Setting.all.map(\.variable)).count == Setting.all.count)
        let variables = Set(Setting.all.map(\.variable))
        for name in ["VOUCH_LISTEN", "VOUCH_DATA_DIR", "VOUCH_CERTS_DIR", "VOUCH_POLICIES_DIR", "VOUCH_ISSUER",
                     "VOUCH_PUBLIC_URL", "VOUCH_TIME_ZONE", "VOUCH_LOG_ORIGIN", "VOUCH_RATE_LIMIT",
                     "VOUCH_API_KEY_CACHE_SECONDS", "VOUCH_ISSUER_CERT", "VOUCH_ISSUER_KEY", "VOUCH_STATUS_LIST_SIZE",
                     "VOUCH_STATUS_TTL", "VOUCH_STATUS_VALIDITY", "LOG_LEVEL", "VOUCH_ROLE", "VOUCH_UPSTREAM",
                     "VOUCH_UPSTREAM_ROOT", "VOUCH_SYNC_INTERVAL", "VOUCH_URL", "VOUCH_API_KEY"] {
            #expect(variables.contains(name), "\(name) is no longer a setting")
        }
    }
}

@Suite("docs/vouch.example.json")
struct ExampleConfigurationTests {
    @Test("the example files in docs/ pass the same checks and give a valid configuration")
    func exampleIsValid() async throws {
        let path = ServerFixture.packageRoot.appendingPathComponent("docs/vouch.example.json").path
        let settings = VouchSettings(environment: [:], file: try await SettingsFile.load(path: path))
        let configuration = try ServerConfiguration(settings: settings)
        #expect(configuration.port == 8080)
        #expect(configuration.issuer == "https://vouch.example.org")
        #expect(configuration.statusLists.listSize == 131_072)
        #expect(configuration.policiesDirectory.path == ServerFixture.packageRoot.appendingPathComponent("docs/Policies").path)
        let terminalPath = ServerFixture.packageRoot.appendingPathComponent("docs/vouch.terminal.example.json").path
        let terminal = VouchSettings(environment: [:], file: try await SettingsFile.load(path: terminalPath))
        #expect(try ServerRole(settings: terminal) == .terminal)
        #expect(try TerminalConfiguration(settings: terminal).upstream.absoluteString == "https://vouch.example.org")
    }

    @Test("the README's configuration table names every setting's key and variable")
    func readmeListsEverySetting() throws {
        let readme = try String(contentsOf: ServerFixture.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for setting in Setting.all {
            #expect(readme.contains("| `\(setting.key)` | `\(setting.variable)` |"), "\(setting.key) missing from the README table")
        }
    }
}
