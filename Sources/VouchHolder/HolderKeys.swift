public import VouchCore
public import VouchCrypto

/// The holder's keys and signatures (format.md §6), as a wallet needs them.
///
/// Every code gets its own fresh P-256 key, so two codes of one person share
/// no key; the wallet key only signs requests to the issuer (redeem,
/// refresh). Keys are OpenSSL keys made here; they leave the process only as
/// 0600 files in a ``WalletDirectory``.
public enum HolderKeys {
    /// Most keys made in one call: a batch is at most a few dozen codes.
    public static let maximumBatch = 1000

    /// Makes `count` fresh P-256 keys, one per code to ask for.
    ///
    /// - Throws: ``WalletError`` `.signing` when OpenSSL cannot make a key, or for a count outside 1...1000.
    public static func generate(count: Int) throws(WalletError) -> [PrivateKey] {
        guard (1...maximumBatch).contains(count) else {
            throw WalletError(.signing, "a batch is 1 to \(maximumBatch) keys, not \(count)")
        }
        return try (0..<count).map { _ throws(WalletError) in try generate() }
    }

    /// Makes one fresh P-256 key.
    public static func generate() throws(WalletError) -> PrivateKey {
        do {
            return try PrivateKey.generate(.es256)
        } catch {
            throw WalletError(.signing, "cannot make a P-256 key")
        }
    }

    /// The 65-byte SEC1 uncompressed point of a P-256 key (what WebCrypto's `exportKey('raw')` gives).
    public static func sec1(_ key: PublicKey) -> [UInt8] {
        key.p256Uncompressed ?? []
    }

    /// The SEC1 uncompressed point as unpadded base64url, the form the wallet API carries keys in.
    public static func base64URL(_ key: PublicKey) -> String {
        Base64URL.encode(sec1(key))
    }

    /// Signs arbitrary bytes with ES256 (r||s, 64 bytes): a wallet key's request signature.
    ///
    /// - Throws: ``WalletError`` `.signing` for a key that is not P-256 or a failing OpenSSL call.
    public static func sign(_ message: [UInt8], with key: PrivateKey) throws(WalletError) -> [UInt8] {
        guard key.algorithm == .es256 else { throw WalletError(.signing, "holder keys are P-256") }
        do {
            return try key.signature(for: message)
        } catch {
            throw WalletError(.signing, "signing failed")
        }
    }

    /// Signs a presentation of `credential` at `time` with the code's own key.
    ///
    /// - Parameters:
    ///   - credential: the code's COSE_Sign1_Tagged bytes as issued.
    ///   - key: the key the code's `cnf` names.
    ///   - time: NumericDate, the holder's clock corrected by its offset to the issuer's.
    /// - Throws: ``WalletError`` `.keyMismatch` when `key` is not the code's `cnf`, `.invalidCode` when the
    ///   credential is not holder-bound.
    public static func present(credential: [UInt8], key: PrivateKey, time: UInt64) throws(WalletError) -> Presentation {
        let decoded: DecodedAttestation
        do {
            decoded = try DecodedAttestation(coseBytes: credential)
        } catch {
            throw WalletError(.invalidCode, "the credential does not decode: \(error.code)")
        }
        guard let cnf = decoded.claims.holderKey else { throw WalletError(.invalidCode, "the code is not holder-bound") }
        guard cnf == key.publicKey.coseKey else { throw WalletError(.keyMismatch, "the key is not the code's holder key") }
        do {
            return try Presentation.sign(credential: credential, time: time) { try key.signature(for: $0) }
        } catch {
            throw WalletError(.signing, "presentation signing failed")
        }
    }
}
