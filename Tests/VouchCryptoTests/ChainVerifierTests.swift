import Foundation
import Testing

@testable import VouchCrypto

@Suite("Chain verification")
struct ChainVerifierTests {
    /// A root valid 2026-2036 and a leaf valid for 2026-02-01 .. 2027-02-01.
    struct Fixture {
        let rootKey: PrivateKey
        let root: Certificate
        let leaf: Certificate
        let inside = TestSupport.date(1_780_000_000)  // 2026-05-28
        let leafNotBefore = TestSupport.date(1_769_904_000)  // 2026-02-01
        let leafNotAfter = TestSupport.date(1_801_440_000)  // 2027-02-01

        init(rootAlgorithm: SigningAlgorithm = .es256, pathLength: Int = 0) throws {
            rootKey = try PrivateKey.generate(rootAlgorithm)
            root = try CertificateFactory.selfSignedCA(
                commonName: "Vouch Root", organization: "Example", key: rootKey,
                notBefore: TestSupport.date(1_767_225_600), notAfter: TestSupport.date(2_082_758_400),
                pathLength: pathLength)
            leaf = try CertificateFactory.issue(
                commonName: "Signer", organization: "Example", subjectKey: PrivateKey.generate(.es256).publicKey,
                issuer: root, issuerKey: rootKey, notBefore: leafNotBefore, notAfter: leafNotAfter)
        }
    }

    @Test("a leaf under a trusted root is valid inside its validity", arguments: [SigningAlgorithm.es256, .eddsa])
    func valid(_ rootAlgorithm: SigningAlgorithm) throws {
        let fixture = try Fixture(rootAlgorithm: rootAlgorithm)
        let verifier = ChainVerifier(roots: [fixture.root])
        #expect(verifier.roots == [fixture.root])
        #expect(verifier.verify(fixture.leaf, at: fixture.inside) == .valid)
        #expect(verifier.verify(fixture.leaf, at: fixture.leafNotBefore) == .valid)
        #expect(verifier.verify(fixture.leaf, at: fixture.leafNotAfter.addingTimeInterval(-1)) == .valid)
        // OpenSSL treats notAfter itself as already expired (RFC 5280 says inclusive).
        #expect(!verifier.verify(fixture.leaf, at: fixture.leafNotAfter).isValid)
        #expect(verifier.verify(fixture.leaf, at: fixture.inside).isValid)
    }

    @Test("a leaf under an unknown root is rejected")
    func unknownRoot() throws {
        let fixture = try Fixture()
        let stranger = try Fixture()
        let result = ChainVerifier(roots: [stranger.root]).verify(fixture.leaf, at: fixture.inside)
        #expect(result == .invalid(reason: "unable to get local issuer certificate (depth 0)"))
        #expect(!result.isValid)
        #expect(!ChainVerifier(roots: []).verify(fixture.leaf, at: fixture.inside).isValid)
    }

    @Test("a root with the same name but another key does not anchor the leaf")
    func impostorRoot() throws {
        let fixture = try Fixture()
        let impostor = try CertificateFactory.selfSignedCA(
            commonName: "Vouch Root", organization: "Example", key: PrivateKey.generate(.es256),
            notBefore: fixture.root.notValidBefore, notAfter: fixture.root.notValidAfter)
        #expect(impostor.subject == fixture.root.subject)
        #expect(!ChainVerifier(roots: [impostor]).verify(fixture.leaf, at: fixture.inside).isValid)
    }

    @Test("a leaf is rejected before notBefore and after notAfter")
    func outsideValidity() throws {
        let fixture = try Fixture()
        let verifier = ChainVerifier(roots: [fixture.root])
        let early = verifier.verify(fixture.leaf, at: fixture.leafNotBefore.addingTimeInterval(-1))
        #expect(early == .invalid(reason: "certificate is not yet valid (depth 0)"))
        let late = verifier.verify(fixture.leaf, at: fixture.leafNotAfter)
        #expect(late == .invalid(reason: "certificate has expired (depth 0)"))
        let afterRoot = verifier.verify(fixture.leaf, at: TestSupport.date(2_100_000_000))
        #expect(!afterRoot.isValid)
    }

    @Test("a self-signed leaf that is not a root is rejected")
    func selfSignedLeaf() throws {
        let fixture = try Fixture()
        let selfSigned = try CertificateFactory.selfSignedCA(
            commonName: "Signer", organization: "Example", key: PrivateKey.generate(.es256),
            notBefore: fixture.leafNotBefore, notAfter: fixture.leafNotAfter)
        let result = ChainVerifier(roots: [fixture.root]).verify(selfSigned, at: fixture.inside)
        #expect(result == .invalid(reason: "self-signed certificate (depth 0)"))
    }

    @Test("an intermediate completes the path only when given and allowed by pathlen")
    func intermediates() throws {
        for pathLength in [0, 1] {
            let fixture = try Fixture(pathLength: pathLength)
            let intermediateKey = try PrivateKey.generate(.eddsa)
            let intermediate = try CertificateFactory.issue(
                commonName: "Intermediate", organization: nil, subjectKey: intermediateKey.publicKey,
                issuer: fixture.root, issuerKey: fixture.rootKey,
                notBefore: fixture.leafNotBefore, notAfter: fixture.leafNotAfter, isCA: true)
            #expect(intermediate.isCA)
            let leaf = try CertificateFactory.issue(
                commonName: "Signer", organization: nil, subjectKey: PrivateKey.generate(.es256).publicKey,
                issuer: intermediate, issuerKey: intermediateKey,
                notBefore: fixture.leafNotBefore, notAfter: fixture.leafNotAfter)
            let verifier = ChainVerifier(roots: [fixture.root])
            let withIntermediate = verifier.verify(leaf, intermediates: [intermediate], at: fixture.inside)
            if pathLength == 1 {
                #expect(withIntermediate == .valid)
            } else {
                #expect(withIntermediate == .invalid(reason: "path length constraint exceeded (depth 2)"))
            }
            #expect(!verifier.verify(leaf, at: fixture.inside).isValid)
            // An intermediate is not a trust anchor by itself.
            #expect(!ChainVerifier(roots: [intermediate]).verify(leaf, at: fixture.inside).isValid)
        }
    }

    @Test("one verifier serves many tasks at once")
    func concurrent() async throws {
        let fixture = try Fixture()
        let stranger = try Fixture()
        let verifier = ChainVerifier(roots: [fixture.root])
        let results = await withTaskGroup(of: Bool.self, returning: [Bool].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<25).allSatisfy { _ in
                        verifier.verify(fixture.leaf, at: fixture.inside) == .valid
                            && !verifier.verify(stranger.leaf, at: fixture.inside).isValid
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}
