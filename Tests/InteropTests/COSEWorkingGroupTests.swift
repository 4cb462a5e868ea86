import Foundation
import Testing
import VouchCore
import VouchCrypto

/// The COSE working group's Sign1 examples, verified with our OpenSSL code.
@Suite struct COSEWorkingGroupTests {
    static let folder = ExternalTool.packageRoot.appendingPathComponent("Tests/VouchCoreTests/Vectors/cose-wg")

    static func base64url(_ text: String) -> [UInt8] {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return [UInt8](Data(base64Encoded: s) ?? Data())
    }

    static func publicKey(_ key: [String: Any]) throws -> PublicKey {
        let x = (key["x"] as? String).map(base64url) ?? (key["x_hex"] as? String).flatMap { [UInt8](hexString: $0) } ?? []
        let y = (key["y"] as? String).map(base64url) ?? (key["y_hex"] as? String).flatMap { [UInt8](hexString: $0) } ?? []
        return try PublicKey(p256Uncompressed: [0x04] + x + y)
    }

    struct Case {
        let name: String
        let cbor: [UInt8]
        let key: PublicKey
        let external: [UInt8]
        let shouldPass: Bool
    }

    static func cases() throws -> [Case] {
        var cases: [Case] = []
        for sub in ["sign1-tests", "CWT"] {
            let dir = folder.appendingPathComponent(sub)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".json") {
                let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(name)))
                                            as? [String: Any])
                let input = try #require(json["input"] as? [String: Any])
                guard let sign0 = input["sign0"] as? [String: Any], let key = sign0["key"] as? [String: Any] else { continue }
                let output = try #require(json["output"] as? [String: Any])
                cases.append(Case(name: "\(sub)/\(name)", cbor: try #require([UInt8](hexString: output["cbor"] as! String)),
                                  key: try publicKey(key),
                                  external: (sign0["external"] as? String).flatMap { [UInt8](hexString: $0) } ?? [],
                                  shouldPass: !(json["fail"] as? Bool ?? false)))
            }
        }
        return cases
    }

    @Test func signaturesVerifyExactlyWhenTheyShould() throws {
        let cases = try Self.cases()
        #expect(cases.count == 10)
        var passed = 0, rejected = 0
        for c in cases {
            let accepted: Bool
            if let sign1 = try? COSESign1(tagged: c.cbor), sign1.protectedHeader[1] == .int(-7)
                || sign1.unprotectedHeader.contains(where: { $0.key == 1 && $0.value == .int(-7) }) && sign1.protectedHeader == .map([])
            {
                accepted = c.key.isValidSignature(sign1.signature, for: sign1.toBeSigned(externalAAD: c.external))
            } else {
                accepted = false
            }
            if c.name.hasSuffix("sign-pass-03.json") {
                // Untagged: valid COSE, but Vouch requires COSE_Sign1_Tagged.
                #expect(!accepted, "\(c.name)")
                rejected += 1
                continue
            }
            #expect(accepted == c.shouldPass, "\(c.name)")
            if accepted { passed += 1 } else { rejected += 1 }
        }
        #expect(passed == 3)
        #expect(rejected == 7)
    }
}
