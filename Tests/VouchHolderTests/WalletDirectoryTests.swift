import Foundation
import Testing
import VouchCore
import VouchCrypto
import VouchHolder
import VouchIssuer

/// A wallet directory: keys 0600, codes matched to their keys, one showing per code, the clock offset.
@Suite struct WalletDirectoryTests {
    let dir: String
    let issuer: Issuer
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("vouch-wallet-\(UUID().uuidString)").path
        let rootKey = try PrivateKey.generate(.es256)
        let root = try CertificateFactory.selfSignedCA(commonName: "Root", organization: nil, key: rootKey,
                                                       notBefore: now.addingTimeInterval(-86_400),
                                                       notAfter: now.addingTimeInterval(86_400 * 400))
        let key = try PrivateKey.generate(.es256)
        let cert = try CertificateFactory.issue(commonName: "Issuer", organization: nil, subjectKey: key.publicKey,
                                                issuer: root, issuerKey: rootKey, notBefore: now.addingTimeInterval(-86_400),
                                                notAfter: now.addingTimeInterval(86_400 * 400))
        issuer = try Issuer(key: key, certificate: cert)
    }

    func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    /// Issues one bound age code per key, as a redeem would.
    func issue(for keys: [PrivateKey], over: Int = 18) throws -> [String] {
        try keys.map { try issuer.issueAge(over: over, now: now, holderKey: $0.publicKey).text }
    }

    @Test func createdFilesArePrivate() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wallet = try WalletDirectory.create(at: dir)
        let keys = try HolderKeys.generate(count: 2)
        try wallet.add(codes: issue(for: keys), keys: keys)
        #expect(try mode(dir) == 0o700)
        #expect(try mode(dir + "/codes") == 0o700)
        #expect(try mode(dir + "/wallet.key") == 0o600)
        #expect(try mode(dir + "/state.json") == 0o600)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/codes").sorted()
        #expect(files == ["000001.key", "000001.vch1", "000002.key", "000002.vch1"])
        for file in files { #expect(try mode(dir + "/codes/" + file) == 0o600, "\(file)") }
        // A second create over the same directory is refused; opening works.
        #expect(throws: WalletError(.io, "")) { try WalletDirectory.create(at: dir) }
        #expect(try WalletDirectory(opening: dir).codes().count == 2)
    }

    @Test func codesAreMatchedToTheirKeysByCnf() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wallet = try WalletDirectory.create(at: dir)
        let keys = try HolderKeys.generate(count: 3)
        // The answer comes back in another order: each code still lands with its own key.
        let texts = try issue(for: keys)
        let stored = try wallet.add(codes: [texts[2], texts[0], texts[1]], keys: keys)
        #expect(stored.map(\.claims.holderKey) == [keys[2], keys[0], keys[1]].map(\.publicKey.coseKey))
        // Each stored key signs presentations that verify under its code's cnf.
        for _ in 0..<3 {
            let (shown, code) = try wallet.present(now: now)
            let cnf = try PublicKey(coseKey: #require(code.claims.holderKey))
            #expect(cnf.isValidSignature(shown.signature, for: shown.toBeSigned()))
        }
    }

    @Test func codesForOtherKeysOrUnboundAreRefusedBeforeAnythingIsWritten() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wallet = try WalletDirectory.create(at: dir)
        let mine = try HolderKeys.generate(count: 1), theirs = try HolderKeys.generate(count: 1)
        #expect(throws: WalletError(.keyMismatch, "")) {
            try wallet.add(codes: issue(for: mine) + issue(for: theirs), keys: mine)
        }
        let unbound = try issuer.issueAge(over: 18, now: now).text
        #expect(throws: WalletError(.invalidCode, "")) { try wallet.add(codes: [unbound], keys: mine) }
        #expect(throws: WalletError(.invalidCode, "")) { try wallet.add(codes: ["VCH1:garbage"], keys: mine) }
        // Two codes for one key: the second is refused (one key per code).
        let twice = try issue(for: mine + mine)
        #expect(throws: WalletError(.keyMismatch, "")) { try wallet.add(codes: twice, keys: mine) }
        #expect(try wallet.codes().isEmpty)
    }

    @Test func presentingRemovesTheCodeAndItsKeyUnlessKept() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wallet = try WalletDirectory.create(at: dir)
        let keys = try HolderKeys.generate(count: 2)
        try wallet.add(codes: issue(for: keys), keys: keys)
        let (kept, first) = try wallet.present(now: now, keep: true)
        #expect(first.id == "000001")
        #expect(try wallet.codes().count == 2)
        let (shown, same) = try wallet.present(now: now.addingTimeInterval(10))
        #expect(same.id == "000001")
        #expect(shown.signature != kept.signature)
        #expect(shown.time == kept.time + 10)
        #expect(try wallet.codes().map(\.id) == ["000002"])
        #expect(!FileManager.default.fileExists(atPath: dir + "/codes/000001.key"))
        _ = try wallet.present(now: now)
        #expect(throws: WalletError(.empty, "")) { try wallet.present(now: now) }
    }

    @Test func presentationTimeUsesTheClockOffset() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wallet = try WalletDirectory.create(at: dir)
        try wallet.setClockOffset(serverTime: 1_790_000_042, localTime: now)
        #expect(try wallet.clockOffset() == 42)
        let keys = try HolderKeys.generate(count: 1)
        try wallet.add(codes: issue(for: keys), keys: keys)
        #expect(try wallet.present(now: now).0.time == 1_790_000_042)
        try wallet.setClockOffset(serverTime: 1_789_999_990, localTime: now)
        #expect(try WalletDirectory(opening: dir).clockOffset() == -10)
    }

    @Test func expiredCodesAreSkippedAndCounted() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wallet = try WalletDirectory.create(at: dir)
        let keys = try HolderKeys.generate(count: 3)
        let short = try issuer.issueAge(over: 18, now: now, validity: 3600, holderKey: keys[0].publicKey).text
        let concession = try issuer.issueConcession("student", validUntil: "2027-06-30", now: now,
                                                    holderKey: keys[2].publicKey).text
        try wallet.add(codes: [short] + issue(for: [keys[1]], over: 21) + [concession], keys: keys)
        let later = now.addingTimeInterval(7200)
        let summary = try wallet.summary(now: later)
        #expect(summary.usable == ["age_over_21": 1, "concession student": 1])
        #expect(summary.expired == 1)
        #expect(try wallet.present(now: later).1.id == "000002")
        let (_, student) = try wallet.present(now: later) { $0.type == .concession }
        #expect(student.claims.concession == "student")
        #expect(throws: WalletError(.empty, "")) { try wallet.present(now: later) }
    }

    @Test func walletKeySignsRequests() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wallet = try WalletDirectory.create(at: dir)
        let message = Array("refresh 1790000000".utf8)
        let signature = try wallet.signWithWalletKey(message)
        #expect(signature.count == 64)
        let key = try wallet.walletKey().publicKey
        #expect(key.isValidSignature(signature, for: message))
        #expect(!key.isValidSignature(signature, for: message + [0]))
        // The public key travels as base64url SEC1 (65 bytes, as WebCrypto exports it).
        let sent = HolderKeys.base64URL(key)
        #expect(!sent.contains("=") && !sent.contains("+") && !sent.contains("/"))
        #expect(try PublicKey(p256SEC1: #require(Base64URL.decode(sent))) == key)
        try wallet.updateState { $0.walletID = "w-123"; $0.service = "https://id.example.org" }
        #expect(try WalletDirectory(opening: dir).state().walletID == "w-123")
    }

    @Test func notAWalletIsNamed() throws {
        #expect(throws: WalletError(.invalidDirectory, "")) { try WalletDirectory(opening: "/nonexistent/wallet") }
        #expect(throws: WalletError(.signing, "")) { try HolderKeys.generate(count: 0) }
        #expect(Base64URL.decode("a+b") == nil)
        #expect(Base64URL.decode("AQID") == [1, 2, 3])
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
    }
}
