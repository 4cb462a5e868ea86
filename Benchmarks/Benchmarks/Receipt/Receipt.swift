import BenchFixtures
import Benchmark
import Foundation
import RawBaselines
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchVerifier

/// Pairs 7 and 8 (issue 14): codes that carry a log receipt (format.md §7).
///
/// 7, issuing. Ours is what the issuer does for one code and its receipt:
/// `Issuer.sign(Claims(...))` (ES256, fresh cti, as in pair 1), then what the
/// store does when the entry commits: SHA-256 of the code with an empty
/// unprotected map (`loggedBytes`, the token hash), `LogReceipt.message` and
/// the receipt key's Ed25519 signature (what `ReceiptSigner` in VouchStore
/// runs), then `attaching(receipt)` and the `VCH1:` text, the form that
/// leaves the issuer. The store's SQL and fsync are left out here (pair 9
/// has them). The baseline is the raw work of two signatures: one
/// `EVP_DigestSign` of the fixture code's Sig_structure with the same ES256
/// key and one Ed25519 `EVP_DigestSign` of the same receipt message with
/// the same receipt key (keys parsed once, fresh `EVP_MD_CTX` each).
///
/// 8, verifying. Ours is `Verifier.verify` on the fixture code with its
/// receipt, under a policy with `log_receipt: required` and a trust store
/// holding the receipt key: everything of pair 3 plus the receipt decoding,
/// the token hash and the receipt signature. The baseline is two
/// `EVP_DigestVerify` (ES256 DER and Ed25519) over the same bytes.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock], timeUnits: .microseconds, warmupIterations: 200,
        scalingFactor: .one, maxDuration: BenchRounds.duration, maxIterations: 1_000_000)

    let origin = "bench.vouch.localhost/log"
    let fixture: BenchFixture
    do { fixture = try BenchFixture.load() } catch { fatalError("benchmark fixture: \(error)") }
    let signer = fixture.signer(.es256)
    let now = fixture.issuedAt
    let issuedAt = UInt64(now.timeIntervalSince1970)

    let issuer: Issuer
    let receiptKey: PrivateKey
    let issuerSigning: RawKey, receiptSigning: RawKey, issuerVerifying: RawKey, receiptVerifying: RawKey
    let toBeSigned: [UInt8], issuerSignature: [UInt8]
    let receiptMessage: [UInt8], receiptSignature: [UInt8]
    let codeText: String
    let verifier: Verifier
    let policy = Policy(
        id: "bench-over-18-receipt", title: "Benchmark: over 18, logged", accept: [.age], require: .init(ageOver: 18),
        status: .ignore, singleUse: false, disclose: ["age_over_18"], logReceipt: .required)
    do {
        issuer = try Issuer(key: signer.key, certificate: signer.certificate)
        // The same receipt key in every benchmark process: an Ed25519 PKCS#8 whose seed is
        // derived from the fixture's issuer key (so the baseline signs the very same bytes).
        let seed = Digest.sha256(Array("vouch bench receipt key".utf8) + signer.key.derRepresentation)
        let pkcs8: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
                              0x04, 0x22, 0x04, 0x20] + seed
        receiptKey = try PrivateKey(derRepresentation: pkcs8)
        guard receiptKey.algorithm == .eddsa else { fatalError("the receipt key is not Ed25519") }

        // The fixture's code with the receipt a log would give it at index 1.
        let decoded = try DecodedAttestation(text: signer.token)
        let tokenHash = Digest.sha256(decoded.sign1.loggedBytes)
        receiptMessage = LogReceipt.message(origin: origin, index: 1, time: issuedAt, tokenHash: tokenHash)
        let receipt = LogReceipt(index: 1, time: issuedAt, signature: try receiptKey.signature(for: receiptMessage))
        codeText = try IssuedAttestation(claims: decoded.claims, coseBytes: decoded.coseBytes).attaching(receipt).text

        verifier = Verifier(
            trustStore: TrustStore(roots: [fixture.root], issuers: [signer.certificate],
                                   receiptKeys: [try ReceiptKey(origin: origin, publicKey: receiptKey.publicKey)]),
            policies: try PolicyStore(policies: [policy]))
        let decision = try verifier.verify(codeText, policy: policy, now: fixture.verifiedAt)
        guard decision.accepted else { fatalError("fixture code with receipt rejected: \(decision.reason)") }
        // Without the receipt the same policy must refuse it, or the benchmark would not measure the check.
        guard try !verifier.verify(signer.token, policy: policy, now: fixture.verifiedAt).accepted else {
            fatalError("a code without receipt passed a log_receipt: required policy")
        }

        issuerSigning = try RawKey(privateKeyDER: signer.key.derRepresentation)
        receiptSigning = try RawKey(privateKeyDER: receiptKey.derRepresentation)
        issuerVerifying = try RawKey(publicKeyDER: signer.certificate.publicKey.spkiDER)
        receiptVerifying = try RawKey(publicKeyDER: receiptKey.publicKey.spkiDER)
        toBeSigned = decoded.sign1.toBeSigned()
        issuerSignature = try RawECDSA.der(fromRaw: decoded.sign1.signature)
        receiptSignature = receipt.signature
    } catch {
        fatalError("receipt benchmark setup: \(error)")
    }
    guard issuerSigning.sign(toBeSigned) > 0, receiptSigning.sign(receiptMessage) > 0,
          issuerVerifying.verify(issuerSignature, for: toBeSigned),
          receiptVerifying.verify(receiptSignature, for: receiptMessage)
    else { fatalError("raw OpenSSL failed on the fixture") }
    let configuration = issuer.configuration
    let nextIndex = Counter()

    for round in BenchRounds.all {
        Benchmark("Receipt issue \(round) - baseline ES256 + Ed25519 EVP_DigestSign") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(issuerSigning.sign(toBeSigned))
                blackHole(receiptSigning.sign(receiptMessage))
            }
        }

        Benchmark("Receipt issue \(round) - ours Issuer.sign + receipt to VCH1") { benchmark in
            for _ in benchmark.scaledIterations {
                let claims = Claims(
                    issuer: configuration.issuer, expiresAt: issuedAt + 90 * 86_400, issuedAt: issuedAt,
                    tokenID: try SecureRandom.bytes(count: 16), type: .age, ageOver: [18])
                let code = try issuer.sign(claims)
                let index = UInt64(nextIndex.take())
                let tokenHash = Digest.sha256(code.loggedBytes)
                let message = LogReceipt.message(origin: origin, index: index, time: issuedAt, tokenHash: tokenHash)
                let receipt = LogReceipt(index: index, time: issuedAt, signature: try receiptKey.signature(for: message))
                blackHole(try code.attaching(receipt).text)
            }
        }

        Benchmark("Receipt verify \(round) - baseline ES256 + Ed25519 EVP_DigestVerify") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(issuerVerifying.verify(issuerSignature, for: toBeSigned))
                blackHole(receiptVerifying.verify(receiptSignature, for: receiptMessage))
            }
        }

        Benchmark("Receipt verify \(round) - ours Verifier.verify with receipt") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try verifier.verify(codeText, policy: policy, now: fixture.verifiedAt))
            }
        }
    }
}

/// The next log index (benchmarks run one at a time).
final class Counter: @unchecked Sendable {
    private var value = 1
    func take() -> Int {
        defer { value += 1 }
        return value
    }
}
