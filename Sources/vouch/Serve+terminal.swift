import Foundation
import Hummingbird
import Logging
import VouchServer

extension Serve {
    /// `vouch serve --role terminal`: no keys, no database; sync and verify locally.
    func runTerminal(_ configuration: ServerConfiguration, settings: VouchSettings, logger: Logger) async throws {
        let terminal: TerminalServices
        do {
            terminal = try TerminalServices.start(configuration, terminal: try TerminalConfiguration(settings: settings),
                                                  logger: logger)
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
