import Testing
import VouchCore

@Suite struct VCH1Tests {
    static func token(alg: Int64 = -7, kid: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8], signatureLength: Int = 64,
                      claims: Claims = ClaimsTests.age()) -> [UInt8] {
        COSESign1.sign(algorithm: alg, kid: kid, payload: claims.encoded()) { _ in
            [UInt8](repeating: 9, count: signatureLength)
        }.encoded()
    }

    func code(_ text: String) -> FormatError.Code? {
        do {
            _ = try DecodedAttestation(text: text)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func roundTrip() throws {
        let bytes = Self.token()
        let text = VCH1.encode(bytes)
        #expect(text.hasPrefix("VCH1:"))
        #expect(text.utf8.allSatisfy { Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8).contains($0) })
        let decoded = try DecodedAttestation(text: text)
        #expect(decoded.coseBytes == bytes)
        #expect(decoded.claims == ClaimsTests.age())
        #expect(decoded.kid == [1, 2, 3, 4, 5, 6, 7, 8])
        // A keyboard-wedge scanner's Enter and a shell's newline are ignored.
        #expect(try DecodedAttestation(text: text + "\r\n").coseBytes == bytes)
    }

    @Test func reasonsForBadInput() {
        let good = VCH1.encode(Self.token())
        #expect(code(good) == nil)
        #expect(code("5012345678900") == .unrecognized)  // an EAN-13 product barcode
        #expect(code("https://example.org/?q=VCH1:") == .unrecognized)
        #expect(code("HC1:6BFOXN%TS3DH") == .unrecognized)
        #expect(code("vch1:" + good.dropFirst(5)) == .unrecognized)
        #expect(code("") == .unrecognized)
        #expect(code("VCH1:") == .malformed)
        #expect(code(String(good.dropLast(7))) == .malformed)  // truncated
        #expect(code(good + "A") == .malformed)  // dangling Base45 character
        #expect(code("VCH1:" + "abc") == .malformed)
        #expect(code(VCH1.encode([0xa0])) == .malformed)  // CBOR but not COSE
        #expect(code(VCH1.encode(Self.token(signatureLength: 63))) == .malformed)
        #expect(code(VCH1.encode(Self.token(kid: [1, 2, 3]))) == .malformed)
        #expect(code(VCH1.encode(Self.token(alg: -35))) == .unsupportedAlgorithm)  // ES384
        #expect(code(VCH1.encode(Self.token(alg: -257))) == .unsupportedAlgorithm)  // RS256
    }

    @Test func sizeLimits() {
        #expect(code("VCH1:" + String(repeating: "0", count: 4092)) == .payloadTooLarge)  // 4097 chars
        #expect(code(String(repeating: "9", count: 4097)) == .payloadTooLarge)
        #expect(code("VCH1:" + String(repeating: "0", count: 4091)) != .payloadTooLarge)
        // 4091 Base45 characters decode to at most 2727 bytes, so the 3072-byte
        // limit guards binary input (NFC, API) rather than text.
        #expect(code("VCH1:" + String(repeating: "000", count: 1030)) == .malformed)
        #expect(throws: FormatError(.payloadTooLarge, "")) {
            try DecodedAttestation(coseBytes: [UInt8](repeating: 0, count: 3073))
        }
        #expect(throws: FormatError(.malformed, "")) {
            try DecodedAttestation(coseBytes: [UInt8](repeating: 0, count: 3072))
        }
    }
}
