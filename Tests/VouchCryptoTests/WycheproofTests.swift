import Foundation
import Testing

@testable import VouchCrypto

/// One Wycheproof test case; the fields both verify schemas share.
struct WycheproofTest: Decodable {
    enum Expectation: String, Decodable {
        case valid, invalid, acceptable
    }

    let tcId: Int
    let comment: String
    let msg: String
    let sig: String
    let result: Expectation
    let flags: [String]
}

/// A group of cases that share one public key.
protocol WycheproofGroup: Decodable {
    var tests: [WycheproofTest] { get }
    func makeKey() throws -> PublicKey
}

struct WycheproofFile<Group: WycheproofGroup>: Decodable {
    let algorithm: String
    let numberOfTests: Int
    let testGroups: [Group]
}

/// `ecdsa_p1363_verify_schema_v1.json`: P-256 keys, raw r||s signatures.
struct ECDSAP1363Group: WycheproofGroup {
    struct Key: Decodable {
        let curve: String
        let uncompressed: String
    }

    let publicKey: Key
    let publicKeyDer: String
    let sha: String
    let tests: [WycheproofTest]

    func makeKey() throws -> PublicKey {
        #expect(publicKey.curve == "secp256r1" && sha == "SHA-256")
        let key = try PublicKey(p256Uncompressed: [UInt8](hex: publicKey.uncompressed))
        // The raw-point and SPKI paths must agree on the same key.
        #expect(try key == PublicKey(spkiDER: [UInt8](hex: publicKeyDer)))
        return key
    }
}

/// `eddsa_verify_schema_v1.json`: raw Ed25519 keys.
struct EdDSAGroup: WycheproofGroup {
    struct Key: Decodable {
        let curve: String
        let pk: String
    }

    let publicKey: Key
    let publicKeyDer: String
    let tests: [WycheproofTest]

    func makeKey() throws -> PublicKey {
        #expect(publicKey.curve == "edwards25519")
        let key = try PublicKey(rawEd25519: [UInt8](hex: publicKey.pk))
        #expect(try key == PublicKey(spkiDER: [UInt8](hex: publicKeyDer)))
        return key
    }
}

/// How many cases of each kind there were and what the verifier said.
struct WycheproofTally: CustomStringConvertible {
    var validAccepted = 0
    var validRejected: [Int] = []
    var invalidRejected = 0
    var invalidAccepted: [Int] = []
    var acceptableAccepted = 0
    var acceptableRejected = 0

    var total: Int {
        validAccepted + validRejected.count + invalidRejected + invalidAccepted.count
            + acceptableAccepted + acceptableRejected
    }

    mutating func record(_ test: WycheproofTest, accepted: Bool) {
        switch (test.result, accepted) {
        case (.valid, true): validAccepted += 1
        case (.valid, false): validRejected.append(test.tcId)
        case (.invalid, false): invalidRejected += 1
        case (.invalid, true): invalidAccepted.append(test.tcId)
        case (.acceptable, true): acceptableAccepted += 1
        case (.acceptable, false): acceptableRejected += 1
        }
    }

    var description: String {
        "valid \(validAccepted) accepted / \(validRejected.count) rejected; "
            + "invalid \(invalidRejected) rejected / \(invalidAccepted.count) accepted; "
            + "acceptable \(acceptableAccepted) accepted / \(acceptableRejected) rejected"
    }
}

/// Runs the Wycheproof verification vectors through `PublicKey.isValidSignature`.
@Suite("Wycheproof")
struct WycheproofTests {
    enum VectorFile: String, CaseIterable, CustomTestStringConvertible {
        case ecdsaP256P1363 = "ecdsa_secp256r1_sha256_p1363_test.json"
        case ed25519 = "ed25519_test.json"

        var testDescription: String { rawValue }
    }

    @Test("every valid vector verifies, every invalid one is rejected", arguments: VectorFile.allCases)
    func vectors(_ file: VectorFile) throws {
        let tally =
            switch file {
            case .ecdsaP256P1363: try run(file, as: ECDSAP1363Group.self, algorithm: .es256)
            case .ed25519: try run(file, as: EdDSAGroup.self, algorithm: .eddsa)
            }
        print("Wycheproof \(file.rawValue): \(tally)")
        #expect(tally.validAccepted > 0)
        #expect(tally.invalidRejected > 0)
        #expect(tally.validRejected.isEmpty, "valid vectors rejected: \(tally.validRejected)")
        #expect(tally.invalidAccepted.isEmpty, "invalid vectors accepted: \(tally.invalidAccepted)")
    }

    private func run<Group: WycheproofGroup>(
        _ file: VectorFile, as group: Group.Type, algorithm: SigningAlgorithm
    ) throws -> WycheproofTally {
        let data = try Data(contentsOf: TestSupport.vectorURL(file.rawValue))
        let vectors = try JSONDecoder().decode(WycheproofFile<Group>.self, from: data)
        var tally = WycheproofTally()
        for group in vectors.testGroups {
            let key: PublicKey
            do {
                key = try group.makeKey()
                #expect(key.algorithm == algorithm)
            } catch {
                // A key we cannot load may only carry vectors that must fail.
                for test in group.tests {
                    tally.record(test, accepted: false)
                }
                continue
            }
            for test in group.tests {
                let accepted = key.isValidSignature([UInt8](hex: test.sig), for: [UInt8](hex: test.msg))
                tally.record(test, accepted: accepted)
            }
        }
        #expect(tally.total == vectors.numberOfTests)
        return tally
    }
}
