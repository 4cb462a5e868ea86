import VouchServerTesting
import Foundation
import HummingbirdTesting
import VouchCore
import VouchCrypto

/// A holder's side written with OpenSSL keys, to drive the wallet routes: a
/// wallet key and one fresh key per code, requests signed as
/// ``WalletMessages`` says.
struct TestWallet {
    let walletKey: PrivateKey
    var walletID: String?

    init() throws {
        walletKey = try PrivateKey.generate(.es256)
    }

    static func text(_ key: PrivateKey) -> String {
        Base64URLText.encode(Array(key.publicKey.spkiDER.suffix(65)))
    }

    var walletKeyText: String { Self.text(walletKey) }

    static func keys(_ count: Int) throws -> [PrivateKey] {
        try (0..<count).map { _ in try PrivateKey.generate(.es256) }
    }

    /// The redeem body; `sign` signs with another key when given.
    func redeemBody(offer: String, keys: [String], signer: PrivateKey? = nil) throws -> String {
        let proof = try (signer ?? walletKey).signature(
            for: WalletMessages.redeem(offer: offer, walletKey: walletKeyText, keys: keys))
        return try Self.json(["offer": offer, "wallet_key": walletKeyText, "keys": keys,
                              "proof": Base64URLText.encode(proof)])
    }

    func refreshBody(keys: [String], time: Int = Int(Date().timeIntervalSince1970), nonce: String? = nil,
                     signer: PrivateKey? = nil) throws -> String {
        let walletID = walletID ?? ""
        let nonce = try nonce ?? Base64URLText.encode(SecureRandom.bytes(count: 16))
        let signature = try (signer ?? walletKey).signature(
            for: WalletMessages.refresh(walletID: walletID, time: UInt64(time), nonce: nonce, keys: keys))
        return try Self.json(["wallet_id": walletID, "time": time, "nonce": nonce, "keys": keys,
                              "signature": Base64URLText.encode(signature)])
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// The secret of a redeem URL (`.../wallet#offer=<secret>`).
    static func offerSecret(_ url: String) -> String? {
        url.range(of: "#offer=").map { String(url[$0.upperBound...].prefix { $0 != "&" }) }
    }
}
