import Foundation
import Testing
import VouchCore

@testable import VouchCrypto

/// `PublicKey.isValidES256Signature(_:for:coseKey:)`, which verifies through reused OpenSSL keys
/// (`P256VerifySlots`), gives the answers of a fresh `PublicKey(coseKey:)`, and never those of the
/// key a slot held before.
@Suite struct P256VerifySlotsTests {
    static func coseKeys(_ key: PublicKey) throws -> (compressed: COSEKey, full: COSEKey) {
        let point = try #require(key.p256Uncompressed)
        return (try #require(key.coseKey), try COSEKey(x: Array(point[1..<33]), y: .bytes(Array(point[33...]))))
    }

    @Test("Wycheproof ECDSA P-256 vectors, with the key's y as a sign bit and in full")
    func wycheproof() throws {
        let data = try Data(contentsOf: TestSupport.vectorURL(WycheproofTests.VectorFile.ecdsaP256P1363.rawValue))
        let vectors = try JSONDecoder().decode(WycheproofFile<ECDSAP1363Group>.self, from: data)
        for form in ["sign bit", "full y"] {
            var tally = WycheproofTally()
            for group in vectors.testGroups {
                let point = [UInt8](hex: group.publicKey.uncompressed)
                let x = Array(point.dropFirst().prefix(32)), y = Array(point.dropFirst(33))
                guard point.count == 65,
                      let cose = try? COSEKey(x: x, y: form == "full y" ? .bytes(y) : .signBit(y[31] & 1 == 1)) else {
                    group.tests.forEach { tally.record($0, accepted: false) }
                    continue
                }
                for test in group.tests {
                    let accepted = try PublicKey.isValidES256Signature(
                        [UInt8](hex: test.sig), for: [UInt8](hex: test.msg), coseKey: cose)
                    tally.record(test, accepted: accepted)
                }
            }
            #expect(tally.total == vectors.numberOfTests)
            #expect(tally.validAccepted > 0 && tally.invalidRejected > 0, "\(form): \(tally)")
            #expect(tally.validRejected.isEmpty, "\(form): valid vectors rejected: \(tally.validRejected)")
            #expect(tally.invalidAccepted.isEmpty, "\(form): invalid vectors accepted: \(tally.invalidAccepted)")
        }
    }

    @Test("a slot used for one key refuses that key's signature under the next key")
    func slotTakesTheNewKey() throws {
        let a = try PrivateKey.generate(.es256), b = try PrivateKey.generate(.es256)
        let (aKey, aFull) = try Self.coseKeys(a.publicKey), (bKey, bFull) = try Self.coseKeys(b.publicKey)
        let message = try SecureRandom.bytes(count: 200)
        let (aSignature, bSignature) = (try a.signature(for: message), try b.signature(for: message))
        // One at a time, so each call takes the slot the previous one gave back.
        for _ in 0..<20 {
            #expect(try PublicKey.isValidES256Signature(aSignature, for: message, coseKey: aKey))
            #expect(try !PublicKey.isValidES256Signature(aSignature, for: message, coseKey: bKey))
            #expect(try PublicKey.isValidES256Signature(bSignature, for: message, coseKey: bFull))
            #expect(try !PublicKey.isValidES256Signature(bSignature, for: message, coseKey: aFull))
            #expect(try !PublicKey.isValidES256Signature(aSignature, for: message + [0], coseKey: aKey))
        }
        let slots = try #require(P256VerifySlots.shared)
        #expect(slots.spareCount >= 1 && slots.spareCount <= P256VerifySlots.maximumSpares)
    }

    @Test("a point off the curve throws invalidKey, whatever the signature, and the next key still verifies")
    func offCurve() throws {
        let holder = try PrivateKey.generate(.es256)
        let message = Array("presentation".utf8)
        let signature = try holder.signature(for: message)
        let (good, full) = try Self.coseKeys(holder.publicKey)
        guard case .bytes(var y) = full.y else { Issue.record("no full y"); return }
        y[31] ^= 0x01
        let wrongY = try COSEKey(x: full.x, y: .bytes(y))
        let beyondP = try COSEKey(x: [UInt8](repeating: 0xff, count: 32), y: .signBit(false))
        for bad in [wrongY, beyondP] {
            for candidate in [signature, [], Array(signature.prefix(63))] {
                #expect(throws: CryptoError(code: .invalidKey, reason: "")) {
                    try PublicKey.isValidES256Signature(candidate, for: message, coseKey: bad)
                }
            }
            #expect(try PublicKey.isValidES256Signature(signature, for: message, coseKey: good))
        }
    }

    @Test("signatures of another length, or all zero, are refused without an error")
    func malformedSignatures() throws {
        let holder = try PrivateKey.generate(.es256)
        let message = Array("m".utf8)
        let signature = try holder.signature(for: message)
        let (key, _) = try Self.coseKeys(holder.publicKey)
        for bad in [[], Array(signature.prefix(63)), signature + [0], [UInt8](repeating: 0, count: 64)] {
            #expect(try !PublicKey.isValidES256Signature(bad, for: message, coseKey: key))
        }
        #expect(try PublicKey.isValidES256Signature(signature, for: message, coseKey: key))
        #expect(try PublicKey.isValidES256Signature(signature, for: message, coseKey: key)
                == PublicKey(coseKey: key).isValidSignature(signature, for: message))
    }

    @Test("many tasks at once each get their own key's answer")
    func concurrent() async throws {
        let holders = try (0..<16).map { _ in try PrivateKey.generate(.es256) }
        let message = try SecureRandom.bytes(count: 64)
        let signatures = try holders.map { try $0.signature(for: message) }
        let keys = try holders.map { try #require($0.publicKey.coseKey) }
        let results = await withTaskGroup(of: (Int, Bool?, Bool?).self) { group in
            for task in 0..<256 {
                let i = task % keys.count, j = (task + 1) % keys.count
                group.addTask {
                    (task, try? PublicKey.isValidES256Signature(signatures[i], for: message, coseKey: keys[i]),
                     try? PublicKey.isValidES256Signature(signatures[j], for: message, coseKey: keys[i]))
                }
            }
            return await group.reduce(into: [(Int, Bool?, Bool?)]()) { $0.append($1) }
        }
        #expect(results.count == 256)
        for (task, own, other) in results {
            #expect(own == true && other == false, "task \(task)")
        }
    }
}
