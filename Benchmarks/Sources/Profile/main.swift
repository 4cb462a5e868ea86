import Foundation
import RawBaselines
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchVerifier

// Instruction counts for pair 6, which stay put on a busy machine where wall-clock ratios do not:
//
//   swift build -c release --product Profile
//   valgrind --tool=callgrind .build/release/Profile 0     # setup alone
//   valgrind --tool=callgrind .build/release/Profile 200   # setup + 200 presentation verifies
//
// The difference of the totals, / 200, holds one `Verifier.verify` of a fresh presentation (the fixture
// of Benchmarks/Presentation) and the signing of that presentation beforehand (about 0.34M); the verify
// alone is `Verifier.verify` in callgrind_annotate --inclusive=yes (200 run minus 0 run, / 200). The two raw
// EVP_DigestVerify calls of the baseline cost about 2 x 868k instructions on OpenSSL 3.0 here.
//
// `Profile paired N` is pair 6 in wall clock, paired: 5N fresh presentations verified in chunks of 25,
// each chunk right after a chunk of 25 baseline iterations (the suite's two raw EVP_DigestVerify, fresh
// EVP_MD_CTX, same bytes), so both halves of a pair see the same machine. It prints the median and
// quartiles of the pairs' ratios and the ratio of the totals. The ordo-one suite runs the baseline and
// ours as separate 600 ms benchmarks, and this machine's capacity drifts between them.
//
// `Profile redeem N` runs N redeems of pair 9 (20 holder-bound codes, a real store under $TMPDIR) and
// prints the process CPU time of the signing and of the commit, and the commit's wall time (the rest is
// waiting for fsync). Not under callgrind: valgrind 3.19 crashes in libdispatch on the writer's queue.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "redeem" {
    try await profileRedeem(Int(arguments.dropFirst().first ?? "0") ?? 0)
    exit(0)
}
let n = Int(arguments.first ?? "0") ?? 0
let now = Date()
let policy = Policy(
    id: "bench-bound-18", title: "Benchmark: over 18, holder-bound", accept: [.age], require: .init(ageOver: 18),
    status: .ignore, singleUse: false, disclose: ["age_over_18"], holderBinding: .required)
let rootKey = try PrivateKey.generate(.es256)
let root = try CertificateFactory.selfSignedCA(
    commonName: "Root", organization: nil, key: rootKey,
    notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(86_400), pathLength: 0)
let key = try PrivateKey.generate(.es256)
let certificate = try CertificateFactory.issue(
    commonName: "Issuer", organization: nil, subjectKey: key.publicKey,
    issuer: root, issuerKey: rootKey, notBefore: now.addingTimeInterval(-3600),
    notAfter: now.addingTimeInterval(86_400))
let issuer = try Issuer(key: key, certificate: certificate)
let holder = try PrivateKey.generate(.es256)
let code = try issuer.issueAge(over: 18, now: now, holderKey: holder.publicKey)
let verifier = Verifier(trustStore: TrustStore(roots: [root], issuers: [certificate]),
                        policies: try PolicyStore(policies: [policy]))
let t = UInt64(now.timeIntervalSince1970)
if arguments.first == "paired" {
    let count = Int(arguments.dropFirst().first ?? "3000") ?? 3000
    let chunk = 25
    let all = try (0..<(count * 5)).map { _ in
        try Presentation.sign(credential: code.coseBytes, time: t) { try holder.signature(for: $0) }.text
    }
    let sample = try Presentation(text: all[0])
    let issuerRaw = try RawKey(publicKeyDER: certificate.publicKey.spkiDER)
    let holderRaw = try RawKey(publicKeyDER: holder.publicKey.spkiDER)
    let credentialTBS = sample.credential.sign1.toBeSigned()
    let credentialSignature = try RawECDSA.der(fromRaw: sample.credential.sign1.signature)
    let presentationTBS = sample.toBeSigned()
    let presentationSignature = try RawECDSA.der(fromRaw: sample.signature)
    func baseline() -> Bool {
        issuerRaw.verify(credentialSignature, for: credentialTBS)
            && holderRaw.verify(presentationSignature, for: presentationTBS)
    }
    precondition(baseline())
    func seconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
    var next = 0, ratios: [Double] = [], baselineTotal = 0.0, oursTotal = 0.0
    for _ in 0..<(all.count / chunk) {
        let start = seconds()
        for _ in 0..<chunk { precondition(baseline()) }
        let middle = seconds()
        for _ in 0..<chunk {
            let decision = try verifier.verify(all[next], policy: policy, now: now)
            precondition(decision.accepted)
            next += 1
        }
        let end = seconds()
        ratios.append((middle - start) / (end - middle))
        baselineTotal += middle - start
        oursTotal += end - middle
    }
    ratios.sort()
    func quantile(_ q: Double) -> String { String(format: "%.3f", ratios[Int(Double(ratios.count - 1) * q)]) }
    let perVerify = { (total: Double) in String(format: "%.1f", total / Double(all.count) * 1e6) }
    print("pair 6 paired, \(ratios.count) pairs of \(chunk): ratio median \(quantile(0.5)) "
          + "[p25 \(quantile(0.25)), p75 \(quantile(0.75))], of the totals "
          + "\(String(format: "%.3f", baselineTotal / oursTotal)); baseline \(perVerify(baselineTotal)) µs, "
          + "ours \(perVerify(oursTotal)) µs")
    exit(0)
}
let texts = try (0..<(n + 1)).map { _ in
    try Presentation.sign(credential: code.coseBytes, time: t) { try holder.signature(for: $0) }.text
}
guard try verifier.verify(texts[n], policy: policy, now: now).accepted else { fatalError("rejected") }
for i in 0..<n {
    let d = try verifier.verify(texts[i], policy: policy, now: now)
    precondition(d.accepted)
}
print("ok \(n) \(texts[0].count)")
