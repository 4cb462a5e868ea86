import Foundation
import Testing
import VouchHTTP
import VouchServer

@Suite("ConfigurationFile and its TOML subset")
struct ConfigurationFileTests {
    func write(_ text: String) throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vouch-conf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("vouch.toml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    @Test("keys become VOUCH_* variables; relative paths are relative to the file")
    func readsVariables() throws {
        let (directory, path) = try write("""
            # site settings
            listen = "0.0.0.0:9090"
            data_dir = "state"   # beside this file
            certs_dir = "/etc/vouch/certs"
            rate_limit = 25
            api_key_cache_seconds = 0.5
            status_list_size = 200_000
            log_level = 'debug'
            issuer = "https://id.example.org"

            """)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try ConfigurationFile(path: path)
        #expect(file.variables["VOUCH_LISTEN"] == "0.0.0.0:9090")
        #expect(file.variables["VOUCH_DATA_DIR"] == directory.appendingPathComponent("state").standardizedFileURL.path)
        #expect(file.variables["VOUCH_CERTS_DIR"] == "/etc/vouch/certs")
        #expect(file.variables["VOUCH_RATE_LIMIT"] == "25")
        #expect(file.variables["VOUCH_API_KEY_CACHE_SECONDS"] == "0.5")
        #expect(file.variables["VOUCH_STATUS_LIST_SIZE"] == "200000")
        #expect(file.variables["LOG_LEVEL"] == "debug")
        let environment = file.underlying(["VOUCH_LISTEN": "127.0.0.1:7000"])
        #expect(environment["VOUCH_LISTEN"] == "127.0.0.1:7000", "a variable overrides the file")
        let configuration = try ServerConfiguration(environment: environment)
        #expect(configuration.port == 7000)
        #expect(configuration.rateLimit == 25)
        #expect(configuration.apiKeyCacheSeconds == 0.5)
        #expect(configuration.statusLists.listSize == 200_000)
        #expect(configuration.issuer == "https://id.example.org")
        #expect(configuration.dataDirectory.path == directory.appendingPathComponent("state").standardizedFileURL.path)
    }

    @Test("an error about a value from the file names file, line and key; an overridden one names the variable")
    func locatesErrors() throws {
        let (directory, path) = try write("listen = \"x\"\nrate_limit = -1\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try ConfigurationFile(path: path)
        let environment = file.underlying([:])
        do {
            _ = try ServerConfiguration(environment: environment)
            Issue.record("accepted listen = \"x\"")
        } catch let error as ConfigurationError {
            let located = file.located(error, environment: [:])
            #expect(located.variable == "\(path):1")
            #expect(located.message.hasPrefix("listen (VOUCH_LISTEN): must be HOST:PORT"))
            #expect(file.located(error, environment: ["VOUCH_LISTEN": "y"]).variable == "VOUCH_LISTEN")
        }
    }

    @Test("file errors name the line", arguments: [
        ("listen = 8080\n", 1, "\"listen\" must be a string, not an integer"),
        ("\n\nrate_limit = \"50\"\n", 3, "\"rate_limit\" must be a number, not a string"),
        ("rate_limt = 50\n", 1, "unknown key \"rate_limt\" (did you mean \"rate_limit\"?)"),
        ("log_level = true\n", 1, "\"log_level\" must be a string, not a boolean"),
        ("a = 1\n[server]\n", 2, "tables ([...]) are not used"),
        ("server.listen = \"x\"\n", 1, "dotted keys are not used"),
        ("policies = [\"a\"]\n", 1, "arrays are not used"),
        ("x = { a = 1 }\n", 1, "inline tables are not used"),
        ("x = 1979-05-27\n", 1, "dates and times are not used"),
        ("x = \"\"\"\nmulti\"\"\"\n", 1, "multi-line strings are not used"),
        ("listen = \"a\"\nlisten = \"b\"\n", 2, "\"listen\" is already set on line 1"),
        ("listen = \"a\" \"b\"\n", 1, "expected the end of the line"),
        ("listen = \"open\n", 1, "a string runs past the end of the line"),
        ("listen = \"bad \\q\"\n", 1, "unknown escape \\q"),
        ("listen = \"\\uD800\"\n", 1, "is not a Unicode scalar value"),
        ("rate_limit = 050\n", 1, "is not a TOML value"),
        ("rate_limit = 1__0\n", 1, "is not a TOML value"),
        ("rate_limit = 9223372036854775808\n", 1, "does not fit in 64 bits"),
        ("rate_limit = 1e400\n", 1, "is out of range"),
        ("rate_limit\n", 1, "expected \"=\""),
        ("rate_limit =\n", 1, "a key without a value"),
        ("listen = localhost\n", 1, "is not a TOML value (strings need quotes)"),
        ("# ok\r\nlisten = \"a\"\r", 2, "a carriage return without a line feed"),
        ("# bell \u{07}\n", 1, "a control character in a comment"),
    ])
    func fileErrors(text: String, line: Int, message: String) throws {
        let (directory, path) = try write(text)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try ConfigurationFile(path: path)
            Issue.record("accepted \(text.debugDescription)")
        } catch let error as ConfigurationError {
            #expect(error.variable == "\(path):\(line)", "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test("invalid UTF-8, an oversized file and a missing file are refused")
    func unreadable() throws {
        let (directory, path) = try write("")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data([0x6C, 0x3D, 0x22, 0xC3, 0x28, 0x22, 0x0A]).write(to: URL(fileURLWithPath: path))
        #expect(throws: ConfigurationError.self) { try ConfigurationFile(path: path) }
        try Data(repeating: 0x20, count: TOMLSubset.maximumSize + 1).write(to: URL(fileURLWithPath: path))
        #expect(throws: ConfigurationError.self) { try ConfigurationFile(path: path) }
        #expect(throws: ConfigurationError.self) { try ConfigurationFile(path: path + ".missing") }
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(try ConfigurationFile(path: path).variables.isEmpty, "an empty file sets nothing")
    }

    @Test("values: escapes, literal strings, number forms")
    func values() throws {
        let entries = try TOMLSubset.parse(Array("""
            a = "tab\\there \\u00e9 \\U0001F600 \\"q\\" \\\\"
            b = 'C:\\path\\no escapes'
            "quoted key" = 0x1F
            c = 0o17
            d = +1_000
            e = 6.626e-34
            f = -inf
            g = false
            """.utf8))
        #expect(entries.map(\.key) == ["a", "b", "quoted key", "c", "d", "e", "f", "g"])
        #expect(entries[0].value == .string("tab\there é 😀 \"q\" \\"))
        #expect(entries[1].value == .string("C:\\path\\no escapes"))
        #expect(entries[2].value == .integer(31))
        #expect(entries[4].value == .integer(1000))
        #expect(entries[5].value == .float(6.626e-34))
        #expect(entries[6].value == .float(-.infinity))
        #expect(entries[7].value == .boolean(false))
        #expect(entries.map(\.line) == Array(1...8))
    }
}

@Suite("docs/vouch.example.toml")
struct ExampleConfigurationTests {
    @Test("the example file in docs/ is read and gives a valid configuration")
    func exampleIsValid() throws {
        let path = ServerFixture.packageRoot.appendingPathComponent("docs/vouch.example.toml").path
        let file = try ConfigurationFile(path: path)
        let configuration = try ServerConfiguration(environment: file.underlying([:]))
        #expect(configuration.port == 8080)
        #expect(configuration.issuer == "https://vouch.example.org")
        #expect(configuration.statusLists.listSize == 131_072)
        #expect(configuration.policiesDirectory.path == ServerFixture.packageRoot.appendingPathComponent("docs/Policies").path)
        // Every key the file format knows appears in the example, set or commented out.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for key in ConfigurationFile.keys.keys.sorted() {
            #expect(text.contains("\n\(key) =") || text.contains("\n# \(key) ="), "\(key) missing from the example")
        }
    }
}
