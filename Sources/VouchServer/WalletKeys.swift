import VouchHTTP
import VouchCore
import VouchCrypto
import VouchStore
import VouchVerifier

/// The keys of a redeem or refresh request, parsed strictly before anything is signed.
///
/// Keys are base64url (no padding) SEC1 uncompressed P-256 points, 65 bytes
/// starting with 04: what WebCrypto's `exportKey("raw")` gives. A point off
/// the curve, a duplicate, or a key equal to the wallet key is refused with
/// the index of the key that was wrong.
struct WalletKeys {
    /// The strings as sent (they are what the request signature covers).
    let texts: [String]
    let keys: [PublicKey]
    /// SHA-256 of each point: what the store keeps to refuse a key used twice.
    let hashes: [[UInt8]]

    static func point(_ text: String, field: String) throws -> (key: PublicKey, hash: [UInt8]) {
        guard let bytes = Base64URLText.decode(text, maximumLength: 100), bytes.count == 65, bytes[0] == 0x04 else {
            throw Problem.invalidField(field, "must be a base64url P-256 public key: 65 bytes, uncompressed (04 x y)")
        }
        guard let key = try? PublicKey(p256Uncompressed: bytes) else {
            throw Problem.invalidField(field, "is not a point on the P-256 curve")
        }
        return (key, WalletStore.hash(bytes))
    }

    /// Reads `keys`: 1 to `maximum` distinct points, none equal to `walletKeyHash`.
    static func read(_ body: JSONBody, maximum: Int, walletKeyHash: [UInt8]?) throws -> WalletKeys {
        let texts = try body.stringArray("keys", maxCount: maximum)
        var keys: [PublicKey] = [], hashes: [[UInt8]] = [], seen = Set<[UInt8]>()
        if let walletKeyHash { seen.insert(walletKeyHash) }
        for (index, text) in texts.enumerated() {
            let parsed = try point(text, field: "keys")
            guard seen.insert(parsed.hash).inserted else {
                throw Problem.invalidField("keys", "keys[\(index)] is given twice (or is the wallet key): every code needs its own key")
            }
            keys.append(parsed.key)
            hashes.append(parsed.hash)
        }
        return WalletKeys(texts: texts, keys: keys, hashes: hashes)
    }

    /// Reads a 64-byte r||s signature field.
    static func signature(_ body: JSONBody, _ field: String) throws -> [UInt8] {
        guard let bytes = Base64URLText.decode(try body.string(field), maximumLength: 100), bytes.count == 64 else {
            throw Problem.invalidField(field, "must be a base64url ES256 signature (r||s, 64 bytes)")
        }
        return bytes
    }
}

extension JSONBody {
    /// A list of 1 to `maxCount` strings.
    func stringArray(_ key: String, maxCount: Int) throws -> [String] {
        guard has(key) else { throw Problem.invalidField(key, "is required") }
        guard let value = object[key], case .array(let list) = value, !list.isEmpty, list.count <= maxCount else {
            throw Problem.invalidField(key, "must be a list of 1 to \(maxCount) keys")
        }
        return try list.map { item in
            guard case .string(let text) = item else { throw Problem.invalidField(key, "must hold strings") }
            return text
        }
    }
}
