import VouchHTTP
import Foundation
import Hummingbird
import Logging
import VouchCrypto
import VouchLog
import VouchServer

extension Serve {
    /// `vouch serve --role witness`: a C2SP tlog-witness for the logs in `VOUCH_WITNESS_LOGS`.
    ///
    /// Its Ed25519 key is `DATA/keys/witness.key.pem` (0600, created once);
    /// its state (the tree it last cosigned per log) is `DATA/witness/state.json`.
    func runWitness(_ configuration: ServerConfiguration, settings vouchSettings: VouchSettings, logger: Logger) async throws {
        let settings: WitnessRoleConfiguration
        do {
            settings = try WitnessRoleConfiguration(settings: vouchSettings)
        } catch let error as ConfigurationError {
            throw CLIError.input("configuration: \(error)")
        }
        let data = configuration.dataDirectory
        let keyFile = data.appendingPathComponent("keys/witness.key.pem")
        try FileManager.default.createDirectory(at: keyFile.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        if !FileManager.default.fileExists(atPath: keyFile.path) {
            try PrivateKey.generate(.eddsa).write(toPEMFile: keyFile.path)
            logger.warning("witness key created", metadata: ["vouch.data_dir": "\(data.path)"])
        }
        let state: WitnessState
        do {
            let signer = try Cosignature.Signer(name: settings.name, privateKey: try PrivateKey.load(fromPEMFile: keyFile.path))
            state = try WitnessState(file: data.appendingPathComponent("witness/state.json"), logs: settings.logs,
                                     signer: signer)
        } catch {
            throw CLIError.input("cannot start the witness: \(error)")
        }
        let router = buildWitnessRouter(state: state, logger: logger)
        let app = Application(router: router,
                              configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                                   serverName: "vouch-witness"),
                              logger: logger)
        logger.info("witness listening", metadata: ["vouch.listen": "\(configuration.host):\(configuration.port)",
                                                    "witness.name": "\(settings.name)",
                                                    "witness.logs": "\(settings.logs.count)"])
        try await app.runService()
    }
}
