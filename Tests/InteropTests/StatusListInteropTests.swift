import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer

/// Our Status List Tokens read by python-cwt (format.md §4).
@Suite struct StatusListInteropTests {
    @Test(arguments: [SigningAlgorithm.es256, .eddsa])
    func pythonReadsOurStatusList(algorithm: SigningAlgorithm) throws {
        let (issuer, _) = try PythonInteropTests.makeIssuer(algorithm)
        let dir = try ExternalTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let certPath = dir.appendingPathComponent("issuer.pem")
        try Data(issuer.certificate.pemRepresentation.utf8).write(to: certPath)

        var list = StatusList(count: 131_072)
        list[0] = 1
        list[4] = 2
        list[77_777] = 1
        list[131_071] = 2
        let iat = UInt64(Date().timeIntervalSince1970)
        let token = StatusListToken(uri: "https://issuer.example/v1/status/5", issuedAt: iat, expiresAt: iat + 86_400,
                                    timeToLive: 300, list: list)
        let tokenPath = dir.appendingPathComponent("list.cwt")
        try Data(try issuer.sign(token)).write(to: tokenPath)

        let indices = [0, 1, 3, 4, 5, 77_777, 131_071]
        let result = try ExternalTool.run(try ExternalTool.python, [
            ExternalTool.packageRoot.appendingPathComponent("Tests/InteropTests/Python/status_list.py").path,
            "--cert", certPath.path, "--token", tokenPath.path,
        ] + indices.flatMap { ["--index", String($0)] })
        #expect(result.status == 0, "python rejected our status list: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["alg"] as? Int == algorithm.coseValue)
        #expect(json["kid"] as? String == issuer.kid.hexString)
        #expect(json["sub"] as? String == "https://issuer.example/v1/status/5")
        #expect((json["iat"] as? NSNumber)?.uint64Value == iat)
        #expect((json["exp"] as? NSNumber)?.uint64Value == iat + 86_400)
        #expect(json["ttl"] as? Int == 300)
        #expect(json["bits"] as? Int == 2)
        #expect(json["count"] as? Int == 131_072)
        #expect(json["claim_keys"] as? [String] == ["2", "4", "6", "65533", "65534"])
        let statuses = try #require(json["statuses"] as? [String: Int])
        #expect(statuses == ["0": 1, "1": 0, "3": 0, "4": 2, "5": 0, "77777": 1, "131071": 2])

        // One flipped signature bit: python-cwt refuses it too.
        var forged = try issuer.sign(token)
        forged[forged.count - 1] ^= 0x01
        try Data(forged).write(to: tokenPath)
        let refused = try ExternalTool.run(try ExternalTool.python, [
            ExternalTool.packageRoot.appendingPathComponent("Tests/InteropTests/Python/status_list.py").path,
            "--cert", certPath.path, "--token", tokenPath.path,
        ])
        #expect(refused.status != 0)
    }
}
