internal import COpenSSL

/// A P-256 or Ed25519 public key, parsed once and reused for every verification.
///
/// Equality and hashing use the DER `SubjectPublicKeyInfo`, so two values
/// holding the same key compare equal however they were created.
public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
    let key: EVPKey

    /// The DER-encoded `SubjectPublicKeyInfo`.
    public let spkiDER: [UInt8]

    /// The signature algorithm this key verifies.
    public var algorithm: SigningAlgorithm { key.algorithm }

    /// The 32-byte RFC 8032 encoding of an Ed25519 key; `nil` for any other key.
    ///
    /// The inverse of ``init(rawEd25519:)``: what C2SP signed-note keys and
    /// JWK/COSE `x` parameters carry.
    public var rawEd25519: [UInt8]? {
        guard algorithm == .eddsa else { return nil }
        var length = 0
        guard EVP_PKEY_get_raw_public_key(key.pointer, nil, &length) == 1, length == 32 else {
            OpenSSL.clearErrors()
            return nil
        }
        var ok = false
        let raw = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            ok = EVP_PKEY_get_raw_public_key(key.pointer, buffer.baseAddress, &length) == 1 && length == 32
            initialized = ok ? length : 0
        }
        guard ok else {
            OpenSSL.clearErrors()
            return nil
        }
        return raw
    }

    /// The key as a `PUBLIC KEY` PEM block.
    public var pemRepresentation: String {
        PEM.encode(spkiDER, label: "PUBLIC KEY")
    }

    /// Wraps an owned `EVP_PKEY`, keeping only its public half.
    init(key: EVPKey) throws {
        let spki = OpenSSL.encodeDER { i2d_PUBKEY(key.pointer, $0) }
        guard let spki else {
            throw CryptoError.openSSL(.invalidKey, "cannot encode public key")
        }
        try self.init(spkiDER: spki)
    }

    /// Wraps a key whose DER `SubjectPublicKeyInfo` is already known (built without the encoder).
    init(key: EVPKey, spkiDER: [UInt8]) {
        self.key = key
        self.spkiDER = spkiDER
    }

    /// Parses a DER `SubjectPublicKeyInfo`.
    ///
    /// - Throws: `CryptoError.invalidKey` for malformed DER, trailing bytes or a
    ///   point not on the curve; `.unsupportedAlgorithm` for other key types.
    public init(spkiDER: [UInt8]) throws {
        let parsed = spkiDER.withOpenSSLBytes { base, count -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = base
            guard let key = d2i_PUBKEY(nil, &cursor, count) else { return nil }
            guard cursor == base + count else {
                EVP_PKEY_free(key)
                return nil
            }
            return key
        }
        guard let parsed else {
            throw CryptoError.openSSL(.invalidKey, "malformed SubjectPublicKeyInfo")
        }
        self.key = try EVPKey(taking: parsed)
        self.spkiDER = spkiDER
    }

    /// Parses a `PUBLIC KEY` PEM block.
    ///
    /// - Throws: `CryptoError.invalidKey` if no public key can be read.
    public init(pemRepresentation: String) throws {
        let parsed = try OpenSSL.withReadBIO(over: Array(pemRepresentation.utf8)) { bio in
            PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let parsed else {
            throw CryptoError.openSSL(.invalidKey, "no PUBLIC KEY in PEM")
        }
        try self.init(key: EVPKey(taking: parsed))
    }

    /// Creates an Ed25519 key from its 32-byte RFC 8032 encoding.
    ///
    /// - Throws: `CryptoError.invalidKey` unless exactly 32 bytes are given.
    public init(rawEd25519 raw: [UInt8]) throws {
        guard raw.count == 32 else {
            throw CryptoError(code: .invalidKey, reason: "Ed25519 public key must be 32 bytes")
        }
        try self.init(spkiDER: Self.ed25519SPKIPrefix + raw)
    }

    /// Creates a P-256 key from its 65-byte uncompressed point `04 || x || y`.
    ///
    /// - Throws: `CryptoError.invalidKey` for a wrong length or prefix, or a
    ///   point that is not on the curve.
    public init(p256Uncompressed point: [UInt8]) throws {
        guard point.count == 65, point.first == 0x04 else {
            throw CryptoError(
                code: .invalidKey, reason: "P-256 public key must be 65 bytes starting with 04")
        }
        try self.init(spkiDER: Self.p256SPKIPrefix + point)
    }

    /// Checks a raw signature over `message`.
    ///
    /// ES256 signatures are the 64-byte r||s form (never DER), hashed with
    /// SHA-256; EdDSA signatures are 64-byte Ed25519 signatures. Any other
    /// length is rejected before OpenSSL sees it.
    ///
    /// - Returns: `true` only if the signature is valid for this key.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == algorithm.signatureLength else { return false }
        let valid = signature.withUnsafeBufferPointer { sig in
            message.withOpenSSLBytes { msg, msgCount in
                switch algorithm.backing {
                case .es256:
                    ECDSASignature.withDER(fromRaw: sig.baseAddress!) { der, derCount in
                        verifySHA256(der, derCount, msg, msgCount)
                    } ?? false
                case .eddsa:
                    verify(sig.baseAddress!, sig.count, msg, msgCount, digest: nil)
                }
            }
        }
        if !valid {
            // A rejected signature leaves entries on the thread's error queue.
            OpenSSL.clearErrors()
        }
        return valid
    }

    private func verifySHA256(
        _ signature: UnsafePointer<UInt8>, _ signatureCount: Int,
        _ message: UnsafePointer<UInt8>, _ messageCount: Int
    ) -> Bool {
        key.verifySHA256(signature, signatureCount, message, messageCount)
    }

    private func verify(
        _ signature: UnsafePointer<UInt8>, _ signatureCount: Int,
        _ message: UnsafePointer<UInt8>, _ messageCount: Int,
        digest: OpaquePointer?
    ) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, digest, nil, key.pointer) == 1 else {
            return false
        }
        return EVP_DigestVerify(context, signature, signatureCount, message, messageCount) == 1
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.spkiDER == rhs.spkiDER
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(spkiDER)
    }

    public var description: String {
        "PublicKey(\(algorithm))"
    }

    /// `SEQUENCE { SEQUENCE { id-Ed25519 }, BIT STRING (32 bytes) }` up to the key.
    private static let ed25519SPKIPrefix: [UInt8] = [
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ]

    /// `SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (65 bytes) }`.
    static let p256SPKIPrefix: [UInt8] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
        0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ]
}
