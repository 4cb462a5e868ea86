public import Foundation
public import VouchCore
public import VouchCrypto

/// The codes of a wallet: added with their keys, presented once, then removed.
extension WalletDirectory {
    /// Stores codes with the keys they are bound to, matching each code to its key by `cnf`.
    ///
    /// A redeem or refresh answers with codes for the public keys it was sent;
    /// matching by `cnf` rather than by position means a reordered answer still
    /// lands right, and a code bound to a key the wallet never made is refused.
    /// - Parameters:
    ///   - texts: `VCH1:` codes, each holder-bound.
    ///   - keys: the keys made for them (extra keys are ignored and not kept).
    /// - Returns: the stored codes, in the order given.
    /// - Throws: ``WalletError`` `.invalidCode` or `.keyMismatch` before anything is written.
    @discardableResult
    public func add(codes texts: [String], keys: [PrivateKey]) throws(WalletError) -> [WalletCode] {
        var byKey: [COSEKey: PrivateKey] = [:]
        for key in keys { if let cose = key.publicKey.coseKey { byKey[cose] = key } }
        var pending: [(String, DecodedAttestation, PrivateKey)] = []
        var used = Set<COSEKey>()
        for (position, text) in texts.enumerated() {
            let decoded: DecodedAttestation
            do {
                decoded = try DecodedAttestation(text: text)
            } catch {
                throw WalletError(.invalidCode, "code \(position) does not decode: \(error.code)")
            }
            guard let cnf = decoded.claims.holderKey else {
                throw WalletError(.invalidCode, "code \(position) is not holder-bound")
            }
            guard let key = byKey[cnf], used.insert(cnf).inserted else {
                throw WalletError(.keyMismatch, "code \(position) is bound to a key this wallet did not make for it")
            }
            pending.append((VCH1.encode(decoded.coseBytes), decoded, key))
        }
        var stored: [WalletCode] = []
        var next = try state().nextCode
        for (text, decoded, key) in pending {
            let id = String(format: "%06d", next)
            next += 1
            try WalletFiles.create(keyPath(id), Array(key.pemRepresentation.utf8))
            try WalletFiles.create(codePath(id), Array(text.utf8))
            try updateState { $0.nextCode = next }
            stored.append(WalletCode(id: id, text: text, attestation: decoded))
        }
        return stored
    }

    /// Every code held, oldest first.
    public func codes() throws(WalletError) -> [WalletCode] {
        try WalletFiles.list(codesPath).filter { $0.hasSuffix(".vch1") }.map { name throws(WalletError) in
            let id = String(name.dropLast(".vch1".count))
            let text = String(decoding: try WalletFiles.read(codePath(id)), as: UTF8.self)
            guard let decoded = try? DecodedAttestation(text: text) else {
                throw WalletError(.invalidDirectory, "\(codePath(id)) is damaged")
            }
            return WalletCode(id: id, text: text, attestation: decoded)
        }
    }

    /// The issuer's time now, by this device's clock and the learned offset.
    public func correctedTime(_ now: Date = Date()) throws(WalletError) -> UInt64 {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down)) + (try clockOffset())
        return UInt64(max(0, seconds))
    }

    /// Signs a fresh presentation of the oldest unexpired code that `matching` accepts, and removes it unless `keep`.
    ///
    /// - Parameters:
    ///   - now: this device's clock; `t` is it plus the clock offset.
    ///   - keep: leave the code in the wallet (for tests that show one code twice).
    ///   - matching: which codes may be shown (say, age codes of 18 or over); all by default.
    /// - Returns: the presentation and the code it shows.
    /// - Throws: ``WalletError`` `.empty` when no unexpired code matches.
    public func present(now: Date = Date(), keep: Bool = false,
                        matching: (Claims) -> Bool = { _ in true }) throws(WalletError) -> (Presentation, WalletCode) {
        let t = try correctedTime(now)
        guard let code = try codes().first(where: { $0.claims.expiresAt > t && matching($0.claims) }) else {
            throw WalletError(.empty, "no unused, unexpired code left to present")
        }
        let key = try Self.loadKey(keyPath(code.id))
        let presentation = try HolderKeys.present(credential: code.attestation.coseBytes, key: key, time: t)
        if !keep { try remove(code) }
        return (presentation, code)
    }

    /// Removes a code and then its key (a shown or unwanted code).
    public func remove(_ code: WalletCode) throws(WalletError) {
        try WalletFiles.remove(codePath(code.id))
        try WalletFiles.remove(keyPath(code.id))
    }

    /// Counts by claim and the state, for `vouch wallet list`.
    public func summary(now: Date = Date()) throws(WalletError) -> WalletSummary {
        let t = try correctedTime(now)
        var usable: [String: Int] = [:]
        var expired = 0
        for code in try codes() {
            guard code.claims.expiresAt > t else { expired += 1; continue }
            usable[Self.words(code.claims), default: 0] += 1
        }
        let state = try state()
        return WalletSummary(usable: usable, expired: expired, clockOffset: state.clockOffset, walletID: state.walletID)
    }

    /// A code's claim in words: `age_over_18`, `concession student`, `identity`.
    static func words(_ claims: Claims) -> String {
        switch claims.type {
        case .age: return claims.ageOver.map { "age_over_\($0)" }.joined(separator: " ")
        case .concession: return "concession " + (claims.concession ?? "")
        default: return claims.type.rawValue
        }
    }

    func codePath(_ id: String) -> String { codesPath + "/" + id + ".vch1" }
    func keyPath(_ id: String) -> String { codesPath + "/" + id + ".key" }
}
