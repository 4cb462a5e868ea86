import Foundation
import Testing
import VouchHTTP
import VouchServer

@Suite("ServerConfiguration")
struct ServerConfigurationTests {
    @Test("laptop defaults with an empty environment")
    func defaults() throws {
        let configuration = try ServerConfiguration(environment: [:])
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.rateLimit == 50)
        #expect(configuration.apiKeyCacheSeconds == 2)
        #expect(configuration.dataDirectory.lastPathComponent == "data")
    }

    @Test("variables are read")
    func read() throws {
        let configuration = try ServerConfiguration(environment: [
            "VOUCH_LISTEN": "[::1]:9000", "VOUCH_RATE_LIMIT": "7.5", "VOUCH_API_KEY_CACHE_SECONDS": "0",
            "VOUCH_TIME_ZONE": "Europe/London",
        ])
        #expect(configuration.host == "::1")
        #expect(configuration.port == 9000)
        #expect(configuration.rateLimit == 7.5)
        #expect(configuration.apiKeyCacheSeconds == 0)
        #expect(configuration.timeZone.identifier == "Europe/London")
    }

    @Test("a malformed variable is named", arguments: [
        ("VOUCH_LISTEN", "8080"), ("VOUCH_LISTEN", "host:99999"), ("VOUCH_RATE_LIMIT", "0"),
        ("VOUCH_RATE_LIMIT", "fast"), ("VOUCH_API_KEY_CACHE_SECONDS", "-1"), ("VOUCH_API_KEY_CACHE_SECONDS", "61"),
        ("VOUCH_API_KEY_CACHE_SECONDS", "nan"), ("VOUCH_TIME_ZONE", "Mars/Olympus"),
    ])
    func malformed(variable: String, value: String) {
        do {
            _ = try ServerConfiguration(environment: [variable: value])
            Issue.record("\(variable)=\(value) was accepted")
        } catch let error as ConfigurationError {
            #expect(error.variable == variable)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
