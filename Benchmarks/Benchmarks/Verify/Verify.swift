import BenchFixtures
import Benchmark
import RawBaselines
import VouchCore
import VouchCrypto
import VouchVerifier

/// Pair 3: verifying a `VCH1:` code under a policy, against OpenSSL checking its signature alone.
///
/// Ours is `Verifier.verify(_:policy:now:)` on the text: Base45, COSE and claims
/// decoding, issuer lookup by kid, signature, time checks, the policy's age
/// requirement and disclosure. The policy is lenient (status `.ignore`, not
/// single use) so no status list or replay cache is involved. The baseline is
/// one `EVP_DigestVerify` (fresh `EVP_MD_CTX`, key parsed once, DER signature)
/// of the same signature over the same Sig_structure.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock], timeUnits: .microseconds, warmupIterations: 200,
        scalingFactor: .one, maxDuration: BenchRounds.duration, maxIterations: 1_000_000)

    let fixture: BenchFixture
    let verifier: Verifier
    let policy = Policy(
        id: "bench-over-18", title: "Benchmark: over 18", accept: [.age], require: .init(ageOver: 18),
        status: .ignore, singleUse: false, disclose: ["age_over_18"])
    do {
        fixture = try BenchFixture.load()
        let trust = TrustStore(roots: [fixture.root], issuers: [fixture.es256.certificate, fixture.eddsa.certificate])
        verifier = Verifier(trustStore: trust, policies: try PolicyStore(policies: [policy]))
    } catch {
        fatalError("benchmark fixture: \(error)")
    }
    let now = fixture.verifiedAt

    for algorithm in [SigningAlgorithm.es256, .eddsa] {
        let signer = fixture.signer(algorithm)
        let token = signer.token
        let raw: RawKey
        let toBeSigned: [UInt8]
        let signature: [UInt8]
        do {
            let decoded = try DecodedAttestation(text: token)
            raw = try RawKey(publicKeyDER: signer.certificate.publicKey.spkiDER)
            toBeSigned = decoded.sign1.toBeSigned()
            signature = algorithm == .es256 ? try RawECDSA.der(fromRaw: decoded.sign1.signature)
                : decoded.sign1.signature
            let decision = try verifier.verify(token, policy: policy, now: now)
            guard decision.accepted else { fatalError("\(algorithm): fixture code rejected: \(decision.reason)") }
        } catch {
            fatalError("\(algorithm) verify setup: \(error)")
        }
        guard raw.verify(signature, for: toBeSigned) else { fatalError("\(algorithm): EVP_DigestVerify failed") }

        for round in BenchRounds.all {
            Benchmark("\(algorithm) \(round) - baseline EVP_DigestVerify") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(raw.verify(signature, for: toBeSigned))
                }
            }

            Benchmark("\(algorithm) \(round) - ours Verifier.verify") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try verifier.verify(token, policy: policy, now: now))
                }
            }
        }
    }
}
