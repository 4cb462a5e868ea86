public import Foundation
public import VouchCore
public import VouchCrypto

/// Signs log receipts (format.md §7) as entries commit.
///
/// The receipt key is its own key: not the issuer's signing key (a stolen
/// issuer key must not be enough to mint a code a till accepts) and not the
/// checkpoint key. Its id in the log is derived from its public key, since it
/// has no certificate: `kid` = the first 8 bytes, `cert` = all 32 bytes of
/// SHA-256 over its SubjectPublicKeyInfo DER.
public struct ReceiptSigner: Sendable {
    /// The log's checkpoint origin, the second line of every receipt message.
    public let origin: String
    private let key: PrivateKey

    /// - Throws: `StoreError.invalidInput` for an algorithm receipts do not use.
    public init(key: PrivateKey, origin: String) throws {
        guard key.algorithm == .eddsa || key.algorithm == .es256 else {
            throw StoreError(code: .invalidInput, reason: "a receipt key must be Ed25519 or P-256")
        }
        self.key = key
        self.origin = origin
    }

    /// The public half, named in the trust bundle.
    public var publicKey: PublicKey { key.publicKey }

    /// The 8-byte id of the key's `key_added` log entry.
    public var kid: [UInt8] { Array(Self.keyHash(publicKey).prefix(8)) }

    /// The `key_added` event that puts this key on the record.
    public func keyAddedEvent(time: Date) -> KeyEvent {
        KeyEvent(kind: .added, kid: kid, certificateHash: Self.keyHash(publicKey), time: time)
    }

    /// SHA-256 of a public key's SubjectPublicKeyInfo DER.
    public static func keyHash(_ key: PublicKey) -> [UInt8] { Digest.sha256(key.spkiDER) }

    /// Signs the receipt for the entry at `index` with `time` and `tokenHash`.
    func sign(index: Int, time: UInt64, tokenHash: [UInt8]) throws -> LogReceipt {
        let message = LogReceipt.message(origin: origin, index: UInt64(index), time: time, tokenHash: tokenHash)
        do {
            return LogReceipt(index: UInt64(index), time: time, signature: try key.signature(for: message))
        } catch {
            throw StoreError(code: .database, reason: "cannot sign a log receipt")
        }
    }
}
