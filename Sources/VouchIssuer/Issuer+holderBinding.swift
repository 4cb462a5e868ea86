import VouchCore
public import VouchCrypto

/// Holder binding on the issuer's side (format.md §6): which keys a code may be bound to.
extension Issuer {
    /// The `cnf` COSE_Key for a holder key, compressed as issuers write it.
    ///
    /// - Throws: ``IssuanceError`` on field `keys` unless the key is P-256
    ///   (the only curve WebCrypto and phone secure elements share).
    static func confirmation(_ holderKey: PublicKey?) throws -> COSEKey? {
        guard let holderKey else { return nil }
        guard let cose = holderKey.coseKey else {
            throw IssuanceError.invalid("keys", "a holder key must be a P-256 public key")
        }
        return cose
    }

    /// Parses the holder keys of a wallet request and refuses a key given twice.
    ///
    /// One key per code is what makes two codes of one person unlinkable; a
    /// batch that repeats a key would give two codes the same `cnf`. Keys
    /// already bound by earlier batches are the store's to refuse.
    /// - Parameter keys: SEC1 P-256 points, 65 bytes uncompressed (WebCrypto's raw export) or 33 compressed.
    /// - Returns: the keys, in order.
    /// - Throws: ``IssuanceError`` on field `keys` naming the position of the bad or repeated key.
    public static func holderKeys(sec1 keys: [[UInt8]]) throws -> [PublicKey] {
        var seen = Set<PublicKey>()
        var out: [PublicKey] = []
        out.reserveCapacity(keys.count)
        for (position, bytes) in keys.enumerated() {
            let key: PublicKey
            do {
                key = try PublicKey(p256SEC1: bytes)
            } catch {
                throw IssuanceError.invalid("keys", "key \(position) is not a P-256 public key point on the curve")
            }
            guard seen.insert(key).inserted else {
                throw IssuanceError.invalid("keys", "key \(position) is given twice")
            }
            out.append(key)
        }
        return out
    }
}
