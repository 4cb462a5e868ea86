import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer

extension ExternalTool {
    /// Runs `Python/vouch_holder.py` (python-cwt, pycose, cryptography) with the venv's interpreter.
    static func holder(_ arguments: [String]) throws -> Result {
        let script = packageRoot.appendingPathComponent("Tests/InteropTests/Python/vouch_holder.py")
        return try run(python, [script.path] + arguments)
    }
}

/// Holder binding (format.md §6) read by python-cwt, pycose and `cryptography`, which share no code with us.
@Suite struct HolderInteropTests {
    struct Rig {
        let issuer: Issuer
        let dir: URL
        var certPath: String { dir.appendingPathComponent("issuer.pem").path }

        init() throws {
            issuer = try PythonInteropTests.makeIssuer(.es256).0
            dir = try ExternalTool.temporaryDirectory()
            try Data(issuer.certificate.pemRepresentation.utf8).write(to: URL(fileURLWithPath: certPath))
        }
    }

    @Test func pythonReadsABoundCodeAndItsKey() throws {
        let rig = try Rig()
        defer { try? FileManager.default.removeItem(at: rig.dir) }
        let holder = try PrivateKey.generate(.es256).publicKey
        let code = try rig.issuer.issueAge(over: 18, now: Date(), holderKey: holder)
        let result = try ExternalTool.holder(["bound", "--cert", rig.certPath, "--token", code.text])
        try #require(result.status == 0, "python rejected a bound code: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let point = try #require(holder.p256Uncompressed)
        // `cryptography` decompressed the sign bit to the same point.
        #expect(json["x"] as? String == point[1..<33].hexString)
        #expect(json["y"] as? String == point[33...].hexString)
        #expect(json["compressed"] as? Bool == true)
        #expect(json["vct"] as? String == "age")
    }

    @Test func pythonVerifiesAPresentation() throws {
        let rig = try Rig()
        defer { try? FileManager.default.removeItem(at: rig.dir) }
        let holder = try PrivateKey.generate(.es256)
        let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(100 * 86_400)).prefix(10)
        let code = try rig.issuer.issueConcession("student", validUntil: String(until), now: Date(),
                                                  holderKey: holder.publicKey)
        let t = UInt64(Date().timeIntervalSince1970)
        let shown = try Presentation.sign(credential: code.coseBytes, time: t) { try holder.signature(for: $0) }
        let result = try ExternalTool.holder(["presentation", "--cert", rig.certPath, "--text", shown.text])
        try #require(result.status == 0, "python rejected a presentation: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["t"] as? NSNumber)?.uint64Value == t)
        #expect(json["cti"] as? String == code.claims.tokenID.hexString)

        // Signed by another key: python refuses it too, so the check above is real.
        let thief = try PrivateKey.generate(.es256)
        let stolen = try Presentation.sign(credential: code.coseBytes, time: t) { try thief.signature(for: $0) }
        let refused = try ExternalTool.holder(["presentation", "--cert", rig.certPath, "--text", stolen.text])
        #expect(refused.status != 0)
    }
}
