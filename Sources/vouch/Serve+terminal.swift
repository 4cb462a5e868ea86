import Foundation
import Hummingbird
import Logging
import VouchHTTP
import VouchServer
import VouchTerminal

extension Serve {
    /// `vouch serve --role terminal`: no keys, no database; sync and verify locally.
    func runTerminal(_ configuration: ServerConfiguration, settings: VouchSettings, logger: Logger) async throws {
        let terminal: TerminalServices
        do {
            var terminalSettings = try TerminalConfiguration(settings: settings)
            terminalSettings.host = configuration.host
            terminalSettings.port = configuration.port
            terminalSettings.dataDirectory = configuration.dataDirectory
            terminalSettings.certsDirectory = configuration.certsDirectory
            terminalSettings.maximumBodySize = configuration.maximumBodySize
            terminalSettings.timeZone = configuration.timeZone
            terminalSettings.serverName = configuration.serverName
            terminalSettings.http = configuration.http
            terminal = try TerminalServices.start(terminalSettings, logger: logger)
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
