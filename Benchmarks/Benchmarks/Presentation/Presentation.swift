import Benchmark
import Foundation
import RawBaselines
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchVerifier

/// Pair 6: verifying a `VCP1:` presentation (format.md §6) against two raw ES256 verifications.
///
/// Ours is `Verifier.verify(_:policy:now:)` on the presentation text: Base45,
/// the presentation's COSE and payload, the credential's COSE and claims, kid
/// lookup, the issuer's signature, the holder key from `cnf` (point
/// decompression), the holder's signature, the `t` window, time checks, the
/// requirement and disclosure, and the replay record. Every iteration shows a
/// presentation never seen before (signed in advance), so each one is
/// accepted and recorded, as at a till. The baseline is what any verifier must
/// do at the least: two `EVP_DigestVerify` calls (keys parsed once, DER
/// signatures, fresh `EVP_MD_CTX`) of the issuer's and the holder's
/// signatures over the same Sig_structures.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock], timeUnits: .microseconds, warmupIterations: 200,
        scalingFactor: .one, maxDuration: .milliseconds(600), maxIterations: 1_000_000)

    let now = Date()
    let policy = Policy(
        id: "bench-bound-18", title: "Benchmark: over 18, holder-bound", accept: [.age], require: .init(ageOver: 18),
        status: .ignore, singleUse: false, disclose: ["age_over_18"], holderBinding: .required)
    let verifier: Verifier
    let texts: [String]
    let issuerRaw: RawKey, holderRaw: RawKey
    let credentialTBS: [UInt8], credentialSignature: [UInt8]
    let presentationTBS: [UInt8], presentationSignature: [UInt8]
    let holderPoint: [UInt8]
    do {
        let rootKey = try PrivateKey.generate(.es256)
        let root = try CertificateFactory.selfSignedCA(
            commonName: "Vouch Benchmark Root (TEST ONLY)", organization: nil, key: rootKey,
            notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(86_400), pathLength: 0)
        let key = try PrivateKey.generate(.es256)
        let certificate = try CertificateFactory.issue(
            commonName: "Vouch Benchmark Issuer (TEST ONLY)", organization: nil, subjectKey: key.publicKey,
            issuer: root, issuerKey: rootKey, notBefore: now.addingTimeInterval(-3600),
            notAfter: now.addingTimeInterval(86_400))
        let issuer = try Issuer(key: key, certificate: certificate)
        let holder = try PrivateKey.generate(.es256)
        let code = try issuer.issueAge(over: 18, now: now, holderKey: holder.publicKey)
        verifier = Verifier(trustStore: TrustStore(roots: [root], issuers: [certificate]),
                            policies: try PolicyStore(policies: [policy]))
        let t = UInt64(now.timeIntervalSince1970)
        // Enough distinct presentations that no round runs out (6 s of rounds at well under 100k/s).
        texts = try (0..<60_000).map { _ in
            try Presentation.sign(credential: code.coseBytes, time: t) { try holder.signature(for: $0) }.text
        }
        let sample = try Presentation(text: texts[0])
        let decision = try verifier.verify(texts[0], policy: policy, now: now)
        guard decision.accepted else { fatalError("fixture presentation rejected: \(decision.reason)") }
        issuerRaw = try RawKey(publicKeyDER: certificate.publicKey.spkiDER)
        holderRaw = try RawKey(publicKeyDER: holder.publicKey.spkiDER)
        credentialTBS = sample.credential.sign1.toBeSigned()
        credentialSignature = try RawECDSA.der(fromRaw: sample.credential.sign1.signature)
        presentationTBS = sample.toBeSigned()
        presentationSignature = try RawECDSA.der(fromRaw: sample.signature)
        // The 33-byte compressed point the code's cnf carries (x and the sign of y), as a C verifier reads it.
        guard let cnf = sample.credential.claims.holderKey, case .signBit(let odd) = cnf.y else {
            fatalError("the fixture code has no compressed cnf")
        }
        holderPoint = [odd ? 0x03 : 0x02] + cnf.x
    } catch {
        fatalError("presentation benchmark setup: \(error)")
    }
    guard issuerRaw.verify(credentialSignature, for: credentialTBS),
          holderRaw.verify(presentationSignature, for: presentationTBS),
          (try? RawKey(p256Point: holderPoint))?.verify(presentationSignature, for: presentationTBS) == true
    else { fatalError("EVP_DigestVerify failed on the fixture") }

    let next = Counter()
    for round in (1...5).map({ "r\($0)" }) {
        Benchmark("VCP1 \(round) - baseline 2x EVP_DigestVerify") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(issuerRaw.verify(credentialSignature, for: credentialTBS))
                blackHole(holderRaw.verify(presentationSignature, for: presentationTBS))
            }
        }

        // A second, labelled baseline (pair 6b): raw OpenSSL doing the holder key's part too, on the same
        // bytes: EVP_PKEY_fromdata of cnf's compressed point, then the two EVP_DigestVerify. The issue's
        // baseline (above) stays the one the goal is measured against.
        Benchmark("VCP1 \(round) - baseline2 import cnf point + 2x EVP_DigestVerify") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(issuerRaw.verify(credentialSignature, for: credentialTBS))
                let holderKey = try RawKey(p256Point: holderPoint)
                blackHole(holderKey.verify(presentationSignature, for: presentationTBS))
            }
        }

        Benchmark("VCP1 \(round) - ours Verifier.verify presentation") { benchmark in
            for _ in benchmark.scaledIterations {
                let decision = try verifier.verify(texts[next.take() % texts.count], policy: policy, now: now)
                blackHole(decision)
            }
        }
    }
}

/// The index of the next unseen presentation (benchmarks run one at a time).
final class Counter: @unchecked Sendable {
    private var value = 0
    func take() -> Int {
        defer { value += 1 }
        return value
    }
}
