import Foundation
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
let texts = try (0..<(n + 1)).map { _ in
    try Presentation.sign(credential: code.coseBytes, time: t) { try holder.signature(for: $0) }.text
}
guard try verifier.verify(texts[n], policy: policy, now: now).accepted else { fatalError("rejected") }
for i in 0..<n {
    let d = try verifier.verify(texts[i], policy: policy, now: now)
    precondition(d.accepted)
}
print("ok \(n) \(texts[0].count)")
