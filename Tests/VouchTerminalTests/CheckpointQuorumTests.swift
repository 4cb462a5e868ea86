import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VouchCrypto
import VouchIssuer
import VouchLog
import VouchTerminal
import VouchVerifier

/// Issue 14 item 4: a terminal adopts, keeps and serves only a checkpoint with the bundle's witness quorum.
///
/// The log key and two witness keys are real Ed25519 keys; the checkpoints
/// are signed notes with real C2SP cosignature lines, and the bundle naming
/// them is signed by the issuer's key as the upstream would sign it.
@Suite struct CheckpointQuorumTests {
    let origin = "log.test/vouch"

    struct Keys {
        let log: NoteSigner
        let witnesses: [Cosignature.Signer]
    }

    func keys() throws -> Keys {
        Keys(log: try NoteSigner(name: origin, privateKey: try PrivateKey.generate(.eddsa)),
             witnesses: try (1...2).map { try Cosignature.Signer(name: "w\($0).test", privateKey: try PrivateKey.generate(.eddsa)) })
    }

    /// A terminal holding a signed bundle that names the log key and both witnesses, quorum 2.
    func terminal(_ rig: TerminalFixture, _ keys: Keys, iat: Date = Date()) throws -> Terminal {
        let terminal = try rig.terminal()
        var bundle = try rig.bundle(iat: iat).bundle
        bundle.logKey = keys.log.vkey
        bundle.witnesses = keys.witnesses.map(\.verifier.vkey)
        bundle.witnessQuorum = 2
        let signed = try SignedTrustBundle.sign(bundle, key: rig.keys.signingKey, certificate: rig.keys.certificate)
        try terminal.accept(signed: signed.bytes, etag: nil, at: iat)
        return terminal
    }

    /// A terminal process on the same data directory: what it serves comes from what was kept.
    func restarted(_ rig: TerminalFixture) throws -> TerminalServices {
        let root = rig.issuer.directory.appendingPathComponent("data/certs/root-ca.pem").path
        var configuration = TerminalConfiguration(upstream: URL(string: "http://issuer.invalid")!, upstreamRootPaths: [root])
        configuration.port = 0
        configuration.dataDirectory = rig.directory
        configuration.certsDirectory = rig.issuer.directory.appendingPathComponent("Certs")
        return try TerminalServices.start(configuration, client: InProcessUpstream(fixture: rig),
                                          logger: rig.issuer.logs.logger)
    }

    /// A checkpoint of `size` leaves (root `seed` repeated), signed by the log and cosigned by `cosigners`.
    func note(_ keys: Keys, size: Int, seed: UInt8 = 1, cosigners: [Cosignature.Signer]) throws -> [UInt8] {
        let checkpoint = try Checkpoint(origin: origin, size: size, rootHash: [UInt8](repeating: seed, count: 32))
        var note = try checkpoint.signed(by: keys.log)
        for witness in cosigners {
            note += try witness.cosign(checkpointText: checkpoint.text, time: UInt64(Date().timeIntervalSince1970)).line + "\n"
        }
        return Array(note.utf8)
    }

    @Test("a checkpoint with the quorum is adopted, kept across a restart and served")
    func adoptsWithQuorum() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let keys = try keys()
        let terminal = try terminal(rig, keys)
        let note = try note(keys, size: 10, cosigners: keys.witnesses)
        #expect(try terminal.adoptCheckpoint(note).size == 10)
        #expect(terminal.checkpoint?.note == note)
        #expect(terminal.quorumLackingSince == nil)
        #expect(try rig.terminal().checkpoint?.size == 10, "re-verified from the data directory on start")
    }

    @Test("one cosignature of two, none, a stranger's, or another log's key: refused, the held checkpoint stays")
    func refusesWithoutQuorum() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let keys = try keys()
        let terminal = try terminal(rig, keys)
        let held = try note(keys, size: 10, cosigners: keys.witnesses)
        try terminal.adoptCheckpoint(held)

        let stranger = try Cosignature.Signer(name: "w2.test", privateKey: try PrivateKey.generate(.eddsa))
        let otherLog = try Keys(log: NoteSigner(name: origin, privateKey: try PrivateKey.generate(.eddsa)),
                                witnesses: keys.witnesses)
        let firstRefusal = Date(timeIntervalSinceNow: 5)
        for (index, bad) in [
            try note(keys, size: 20, cosigners: [keys.witnesses[0]]),
            try note(keys, size: 20, cosigners: []),
            try note(keys, size: 20, cosigners: [keys.witnesses[0], stranger]),
            try note(otherLog, size: 20, cosigners: keys.witnesses),
        ].enumerated() {
            #expect(throws: WitnessedCheckpoint.Refusal.self) {
                try terminal.adoptCheckpoint(bad, at: firstRefusal.addingTimeInterval(Double(index)))
            }
            #expect(terminal.checkpoint?.note == held, "the last witnessed checkpoint is kept")
        }
        #expect(terminal.quorumLackingSince == firstRefusal, "since the first refusal, not the latest")
        #expect(terminal.status().lastError == "Log checkpoint lacks witness quorum")

        // After a restart, the state, the health check and the served checkpoint say so.
        let services = try restarted(rig)
        try await Application(router: buildTerminalRouter(terminal: services)).test(.router) { client in
            let state = try await client.execute(uri: "/v1/terminal/state", method: .get)
            let json = state.json
            let log = try #require(json["log_checkpoint"] as? [String: Any])
            #expect(log["witness_quorum"] as? String == "lacking")
            #expect(log["size"] as? Int == 10)
            #expect(log["lacking_since"] as? String == ISO8601DateFormatter().string(from: firstRefusal))
            #expect((json["message"] as? String)?.contains("Log checkpoint lacks the witness quorum since") == true)
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(String(buffer: health.body).contains("\"lacking\""))
            let served = try await client.execute(uri: "/v1/log/checkpoint/cosigned", method: .get)
            #expect(served.status == .ok)
            #expect(Array(served.body.readableBytesView) == held)
        }

        // A checkpoint with the quorum again ends the warning.
        try terminal.adoptCheckpoint(try note(keys, size: 20, cosigners: keys.witnesses))
        #expect(terminal.quorumLackingSince == nil)
        #expect(terminal.checkpoint?.size == 20)
    }

    @Test("a smaller tree, or another root at the held size, is refused even with the quorum")
    func refusesRollbackAndFork() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let keys = try keys()
        let terminal = try terminal(rig, keys)
        try terminal.adoptCheckpoint(try note(keys, size: 10, cosigners: keys.witnesses))
        #expect(throws: WitnessedCheckpoint.Refusal(code: .rollback, reason: "")) {
            try terminal.adoptCheckpoint(try note(keys, size: 9, cosigners: keys.witnesses))
        }
        #expect(throws: WitnessedCheckpoint.Refusal(code: .fork, reason: "")) {
            try terminal.adoptCheckpoint(try note(keys, size: 10, seed: 2, cosigners: keys.witnesses))
        }
        #expect(terminal.checkpoint?.size == 10)
    }

    @Test("with no checkpoint ever witnessed, nothing is served and the state says so")
    func nothingServedWithoutQuorum() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let keys = try keys()
        let terminal = try terminal(rig, keys)
        #expect(throws: WitnessedCheckpoint.Refusal.self) {
            try terminal.adoptCheckpoint(try note(keys, size: 5, cosigners: [keys.witnesses[1]]))
        }
        #expect(terminal.checkpoint == nil)
        #expect(try rig.terminal().checkpoint == nil, "nothing was stored")
        let services = try restarted(rig)
        try await Application(router: buildTerminalRouter(terminal: services)).test(.router) { client in
            let served = try await client.execute(uri: "/v1/log/checkpoint/cosigned", method: .get)
            #expect(served.status == .serviceUnavailable)
        }
    }
}
