import Foundation
import Testing
import VouchCore

@Suite struct COSESign1Tests {
    struct Example {
        let title: String
        let cbor: [UInt8]
        let toBeSigned: [UInt8]?
        let external: [UInt8]
        let fail: Bool
        let failures: [String: Any]
    }

    static func examples(_ folder: String) throws -> [Example] {
        try VectorLoader.files(in: folder).map { name in
            let json = try #require(VectorLoader.json(name) as? [String: Any])
            let output = try #require(json["output"] as? [String: Any])
            let intermediates = try #require(json["intermediates"] as? [String: Any])
            let input = try #require(json["input"] as? [String: Any])
            return Example(title: json["title"] as! String, cbor: [UInt8](hex: output["cbor"] as! String),
                           toBeSigned: (intermediates["ToBeSign_hex"] as? String).map { [UInt8](hex: $0) },
                           external: ((input["sign0"] as? [String: Any])?["external"] as? String)
                               .map { [UInt8](hex: $0) } ?? [],
                           fail: json["fail"] as? Bool ?? false, failures: input["failures"] as? [String: Any] ?? [:])
        }
    }

    /// The COSE working group's Sign1 examples: our Sig_structure matches theirs byte for byte.
    @Test func sigStructureMatchesWorkingGroupExamples() throws {
        let examples = try Self.examples("cose-wg/sign1-tests") + Self.examples("cose-wg/CWT")
        var checked = 0
        for example in examples where !example.fail && example.toBeSigned != nil {
            if example.failures["RemoveCBORTag"] != nil {
                // Vouch requires COSE_Sign1_Tagged (format.md §1): an untagged structure is malformed.
                #expect(throws: FormatError(.malformed, "")) { try COSESign1(tagged: example.cbor) }
                continue
            }
            let sign1 = try COSESign1(tagged: example.cbor)
            #expect(sign1.toBeSigned(externalAAD: example.external) == example.toBeSigned, "\(example.title)")
            #expect(sign1.encoded() == example.cbor, "re-encoding \(example.title)")
            checked += 1
        }
        #expect(checked == 3)  // sign-pass-01, sign-pass-02 and CWT A.3
    }

    /// Fail examples are rejected when decoding (wrong tag, shape) or their signature
    /// bytes no longer match what the Sig_structure covers (checked in VouchCryptoTests).
    @Test func workingGroupFailExamples() throws {
        let fails = try Self.examples("cose-wg/sign1-tests").filter(\.fail)
        #expect(fails.count == 6)
        for example in fails {
            let decoded = try? COSESign1(tagged: example.cbor)
            if example.failures["ChangeCBORTag"] != nil || example.failures["RemoveCBORTag"] != nil {
                #expect(decoded == nil, "\(example.title) must not decode")
            } else if example.failures["ChangeAttr"] != nil {
                // alg -999 or "unknown": well-formed COSE, refused as an unsupported algorithm.
                let alg = try #require(decoded?.protectedHeader[1])
                #expect(alg != .int(-7) && alg != .int(-8), "\(example.title)")
            } else if let decoded {
                #expect(decoded.toBeSigned() != example.toBeSigned || decoded.algorithm != -7,
                        "\(example.title) differs from what was signed")
            }
        }
    }

    /// RFC 8392 A.4-A.7 are MACed or encrypted CWTs (tags 17 and 16): not a COSE_Sign1.
    @Test func macAndEncryptedCWTsAreNotSign1() throws {
        let others = try Self.examples("cose-wg/CWT").filter { $0.toBeSigned == nil }
        #expect(others.count == 4)
        for example in others {
            #expect(throws: FormatError(.malformed, ""), "\(example.title)") { try COSESign1(tagged: example.cbor) }
        }
    }

    @Test func buildAndParse() throws {
        let sign1 = COSESign1.sign(algorithm: -7, kid: [1, 2, 3, 4, 5, 6, 7, 8], payload: [0xa0]) { tbs in
            #expect(tbs.starts(with: [0x84, 0x6a]))
            return [UInt8](repeating: 7, count: 64)
        }
        let bytes = sign1.encoded()
        #expect(bytes.starts(with: [0xd2, 0x84]))
        let back = try COSESign1(tagged: bytes)
        #expect(back == sign1)
        #expect(back.algorithm == -7)
        #expect(back.kid == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(back.protectedBytes.hexString == "a201260448" + "0102030405060708")
    }

    @Test(arguments: [
        "8443a10126a0412a4100",  // no tag
        "d28343a10126a0412a",  // three elements
        "d2844201a0a0412a4100",  // protected header is not a map (bytes are "01")
        "d28443a10126a0f64100",  // detached payload (nil)
        "d28443a10126a1012641004100",  // alg in both buckets
        "d28445a2012602a0a0412a4100",  // crit ... malformed protected encoding
        "d28443a10126a0412a40ff",  // trailing byte
        "d28443a1012680412a4100",  // unprotected is an array
    ])
    func rejectsBadShapes(hex: String) {
        #expect(throws: FormatError(.malformed, "")) { try COSESign1(tagged: [UInt8](hex: hex)) }
    }
}
