internal import COpenSSL

/// A P-256 or Ed25519 signing key.
///
/// The key material stays inside OpenSSL; `description`, `debugDescription`
/// and reflection print only the algorithm, and no error ever quotes key bytes.
public struct PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    let key: EVPKey

    /// The public half, derived once at creation.
    public let publicKey: PublicKey

    /// The signature algorithm this key produces.
    public var algorithm: SigningAlgorithm { key.algorithm }

    private init(key: EVPKey) throws {
        self.key = key
        self.publicKey = try PublicKey(key: key)
    }

    /// Wraps a parsed key after checking that its public half matches the
    /// private scalar: a file whose embedded public key was swapped would
    /// otherwise yield signatures that never verify under `publicKey`.
    private init(parsed key: EVPKey) throws {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil) else {
            throw CryptoError.openSSL(.internal, "EVP_PKEY_CTX_new_from_pkey failed")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_pairwise_check(context) == 1 else {
            throw CryptoError.openSSL(.invalidKey, "private and public key do not match")
        }
        try self.init(key: key)
    }

    /// Generates a fresh key from OpenSSL's default random source.
    ///
    /// - Parameter algorithm: `.es256` for P-256 or `.eddsa` for Ed25519.
    /// - Throws: `CryptoError.invalidKey` if OpenSSL cannot generate the key.
    public static func generate(_ algorithm: SigningAlgorithm) throws -> PrivateKey {
        let type =
            switch algorithm.backing {
            case .es256: "EC"
            case .eddsa: "ED25519"
            }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, type, nil) else {
            throw CryptoError.openSSL(.invalidKey, "cannot create \(type) key context")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else {
            throw CryptoError.openSSL(.invalidKey, "EVP_PKEY_keygen_init failed")
        }
        if algorithm == .es256, EVP_PKEY_CTX_set_group_name(context, "P-256") != 1 {
            throw CryptoError.openSSL(.invalidKey, "cannot select P-256")
        }
        var generated: OpaquePointer?
        guard EVP_PKEY_generate(context, &generated) == 1, let generated else {
            throw CryptoError.openSSL(.invalidKey, "key generation failed")
        }
        return try PrivateKey(key: EVPKey(taking: generated))
    }

    /// Parses a `PRIVATE KEY` (PKCS#8) or `EC PRIVATE KEY` (SEC 1) PEM block.
    ///
    /// Encrypted keys are refused rather than prompting for a passphrase.
    ///
    /// - Throws: `CryptoError.invalidKey` if no unencrypted private key can be
    ///   read; `.unsupportedAlgorithm` for keys other than P-256 and Ed25519.
    public init(pemRepresentation: String) throws {
        let parsed = try OpenSSL.withReadBIO(over: Array(pemRepresentation.utf8)) { bio in
            // A callback that supplies no passphrase: OpenSSL's default would
            // read one from the controlling terminal.
            PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let parsed else {
            throw CryptoError.openSSL(.invalidKey, "no unencrypted private key in PEM")
        }
        try self.init(parsed: EVPKey(taking: parsed))
    }

    /// Parses a DER PKCS#8 `PrivateKeyInfo` (SEC 1 `ECPrivateKey` also accepted).
    ///
    /// - Throws: `CryptoError.invalidKey` for malformed DER or trailing bytes;
    ///   `.unsupportedAlgorithm` for keys other than P-256 and Ed25519.
    public init(derRepresentation: [UInt8]) throws {
        let parsed = derRepresentation.withOpenSSLBytes { base, count -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = base
            guard let key = d2i_AutoPrivateKey(nil, &cursor, count) else { return nil }
            guard cursor == base + count else {
                EVP_PKEY_free(key)
                return nil
            }
            return key
        }
        guard let parsed else {
            throw CryptoError.openSSL(.invalidKey, "malformed private key DER")
        }
        try self.init(parsed: EVPKey(taking: parsed))
    }

    /// The key as DER PKCS#8 `PrivateKeyInfo`, unencrypted.
    ///
    /// Encoding a key that OpenSSL already holds fails only when memory is
    /// exhausted, which is treated as fatal.
    public var derRepresentation: [UInt8] {
        guard let info = EVP_PKEY2PKCS8(key.pointer) else {
            fatalError("EVP_PKEY2PKCS8 failed: \(OpenSSL.drainErrors())")
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        guard let der = OpenSSL.encodeDER({ i2d_PKCS8_PRIV_KEY_INFO(info, $0) }) else {
            fatalError("i2d_PKCS8_PRIV_KEY_INFO failed: \(OpenSSL.drainErrors())")
        }
        return der
    }

    /// The key as an unencrypted `PRIVATE KEY` (PKCS#8) PEM block.
    public var pemRepresentation: String {
        PEM.encode(derRepresentation, label: "PRIVATE KEY")
    }

    /// Signs `message`.
    ///
    /// ES256 hashes with SHA-256 and returns the 64-byte r||s form COSE uses;
    /// EdDSA returns the 64-byte Ed25519 signature (PureEdDSA, no pre-hash).
    ///
    /// - Throws: `CryptoError.signingFailed` if OpenSSL cannot sign.
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else {
            throw CryptoError.openSSL(.internal, "EVP_MD_CTX_new failed")
        }
        defer { EVP_MD_CTX_free(context) }
        // One signature per context: let EVP_DigestSign finalise in place
        // instead of on a copy of its internal state.
        EVP_MD_CTX_set_flags(context, Int32(EVP_MD_CTX_FLAG_FINALISE))
        let digest = algorithm == .es256 ? EVP_sha256() : nil
        guard EVP_DigestSignInit(context, nil, digest, nil, key.pointer) == 1 else {
            throw CryptoError.openSSL(.signingFailed, "EVP_DigestSignInit failed")
        }
        // One call into a stack buffer large enough for either algorithm (DER ECDSA <= 72, Ed25519 = 64).
        let output = try message.withOpenSSLBytes { base, count -> [UInt8] in
            try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ECDSASignature.maximumDERLength + 8) {
                buffer -> [UInt8] in
                var length = buffer.count
                guard EVP_DigestSign(context, buffer.baseAddress, &length, base, count) == 1, length <= buffer.count
                else { throw CryptoError.openSSL(.signingFailed, "EVP_DigestSign failed") }
                return Array(buffer.prefix(length))
            }
        }
        switch algorithm.backing {
        case .es256:
            return try ECDSASignature.rawFromDER(output)
        case .eddsa:
            guard output.count == algorithm.signatureLength else {
                throw CryptoError(code: .signingFailed, reason: "unexpected Ed25519 signature length")
            }
            return output
        }
    }

    public var description: String {
        "PrivateKey(\(algorithm), <redacted>)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["algorithm": algorithm], displayStyle: .struct)
    }
}
