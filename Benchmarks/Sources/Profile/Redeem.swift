import Foundation
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchStore

/// `n` redeems as Benchmarks/Redeem measures them (after the request is checked): 20 codes signed, one
/// `IssuanceWriter.redeem`, the receipts attached.
func profileRedeem(_ n: Int) async throws {
    let now = Date()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vouch-profile-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try VouchDatabase(dataDirectory: directory)
    let writer = try IssuanceWriter(database: database, logKey: try PrivateKey.generate(.eddsa),
                                    receiptKey: try PrivateKey.generate(.eddsa), origin: "profile.vouch.localhost/log")
    let allocator = try StatusListAllocator(database: database, uriPrefix: "https://vouch.localhost/v1/status/")
    let wallets = WalletStore(database: database)
    let rootKey = try PrivateKey.generate(.es256)
    let root = try CertificateFactory.selfSignedCA(
        commonName: "Root", organization: nil, key: rootKey,
        notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(86_400), pathLength: 0)
    let key = try PrivateKey.generate(.es256)
    let certificate = try CertificateFactory.issue(
        commonName: "Issuer", organization: nil, subjectKey: key.publicKey, issuer: root, issuerKey: rootKey,
        notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(86_400))
    let issuer = try Issuer(key: key, certificate: certificate)
    _ = try await writer.logReceiptKey()
    func cpu() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) * 1e6 + Double(t.tv_nsec) / 1e3
    }
    func wall() -> Double { Date().timeIntervalSince1970 * 1e6 }
    var signCPU = 0.0, commitCPU = 0.0, commitWall = 0.0
    for _ in 0..<n {
        let (offer, secret) = try wallets.createOffer(kind: .age, ageOver: [16, 18, 21], batchSize: 20, now: now,
                                                      lifetime: 600)
        let holderKeys = try (0..<20).map { _ in try PrivateKey.generate(.es256).publicKey }
        let c0 = cpu()
        var signed: [IssuedAttestation] = [], codes: [WalletCode] = []
        for (index, holderKey) in holderKeys.enumerated() {
            var slot: StatusSlot?
            let code = try issuer.issueAge(over: offer.ageOver[index % 3], now: now, holderKey: holderKey, status: {
                let allocation = try allocator.reserve()
                slot = allocation.slot
                return allocation.reference
            })
            signed.append(code)
            codes.append(WalletCode(
                attestation: PendingAttestation(
                    cti: code.claims.tokenID, kid: issuer.kid, vct: code.claims.type,
                    tokenHash: PendingAttestation.tokenHash(of: code.loggedBytes),
                    issuedAt: Date(timeIntervalSince1970: TimeInterval(code.claims.issuedAt)),
                    expiresAt: code.expiresAt, statusSlot: slot),
                holderKeyHash: WalletStore.hash(holderKey.p256Uncompressed ?? [])))
        }
        let c1 = cpu(), w1 = wall()
        let opening = WalletOpening(walletID: try SecureRandom.bytes(count: 16).hexString,
                                    publicKey: try PrivateKey.generate(.es256).publicKey.p256Uncompressed ?? [],
                                    offerID: offer.id, offerSecretHash: WalletStore.hash(secret), time: now)
        let committed = try await writer.redeem(opening, codes: codes)
        let c2 = cpu(), w2 = wall()
        signCPU += c1 - c0; commitCPU += c2 - c1; commitWall += w2 - w1
        for (code, entry) in zip(signed, committed) { _ = try code.attaching(entry.receipt).text }
    }
    let d = Double(max(n, 1))
    print("ok redeem \(n): sign \(Int(signCPU / d)) us cpu; commit \(Int(commitCPU / d)) us cpu, \(Int(commitWall / d)) us wall")
}
