import Foundation
import Hummingbird
import Logging
import VouchHTTP
import VouchServer
import VouchTerminal

extension Serve {
    /// `vouch serve --role terminal`: no keys, no database; sync and verify locally.
    func runTerminal(_ configuration: ServerConfiguration, environment: [String: String], logger: Logger) async throws {
        let terminal: TerminalServices
        do {
            var settings = try TerminalConfiguration(environment: environment)
            settings.host = configuration.host
            settings.port = configuration.port
            settings.dataDirectory = configuration.dataDirectory
            settings.certsDirectory = configuration.certsDirectory
            settings.maximumBodySize = configuration.maximumBodySize
            settings.timeZone = configuration.timeZone
            terminal = try TerminalServices.start(settings, logger: logger)
        } catch let error as ConfigurationError {
            throw CLIError.input("configuration: \(error)")
        } catch {
            throw CLIError.input("cannot start: \(error)")
        }
        let app = buildApplication(terminal: terminal, logger: logger)
        logger.info("listening", metadata: ["vouch.listen": "\(configuration.host):\(configuration.port)",
                                            "vouch.role": "terminal"])
        try await app.runService()
    }
}
