import BenchFixtures
import Benchmark
import Foundation
import RawBaselines
import VouchCore
import VouchCrypto
import VouchIssuer

/// Pair 1: issuing one attestation to `VCH1:` text, against OpenSSL signing the same Sig_structure.
///
/// Ours, twice: `Issuer.sign(Claims(...))` with the claims built in the loop
/// (fresh 16-byte cti from `SecureRandom`), which is claims, deterministic
/// CBOR, Sig_structure, sign, COSE_Sign1 encoding and Base45; and the public
/// entry point `Issuer.issueAge(thresholds: [18])`, which adds the birth-date
/// arithmetic. The baseline is one `EVP_DigestSign` (DER output, fresh
/// `EVP_MD_CTX`) of the Sig_structure of the fixture's code, same key, parsed once.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock], timeUnits: .microseconds, warmupIterations: 200,
        scalingFactor: .one, maxDuration: BenchRounds.duration, maxIterations: 1_000_000)

    let fixture: BenchFixture
    do { fixture = try BenchFixture.load() } catch { fatalError("benchmark fixture: \(error)") }

    for algorithm in [SigningAlgorithm.es256, .eddsa] {
        let signer = fixture.signer(algorithm)
        let issuer: Issuer
        let raw: RawKey
        let toBeSigned: [UInt8]
        do {
            issuer = try Issuer(key: signer.key, certificate: signer.certificate)
            raw = try RawKey(privateKeyDER: signer.key.derRepresentation)
            toBeSigned = try DecodedAttestation(text: signer.token).sign1.toBeSigned()
        } catch {
            fatalError("\(algorithm) issuance setup: \(error)")
        }
        guard raw.sign(toBeSigned) > 0 else { fatalError("\(algorithm): EVP_DigestSign failed") }
        let now = fixture.issuedAt
        let issuedAt = UInt64(now.timeIntervalSince1970)
        let configuration = issuer.configuration

        for round in BenchRounds.all {
            Benchmark("\(algorithm) \(round) - baseline EVP_DigestSign") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(raw.sign(toBeSigned))
                }
            }

            Benchmark("\(algorithm) \(round) - ours Issuer.sign to VCH1") { benchmark in
                for _ in benchmark.scaledIterations {
                    let claims = Claims(
                        issuer: configuration.issuer, expiresAt: issuedAt + 90 * 86_400, issuedAt: issuedAt,
                        tokenID: try SecureRandom.bytes(count: 16), type: .age, ageOver: [18])
                    blackHole(try issuer.sign(claims).text)
                }
            }

            Benchmark("\(algorithm) \(round) - ours issueAge to VCH1") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try issuer.issueAge(birthDate: BenchFixture.birthDate, now: now, thresholds: [18]))
                }
            }
        }
    }
}
