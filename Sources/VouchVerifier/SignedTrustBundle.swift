import Foundation
import VouchCore
public import VouchCrypto

/// A ``TrustBundle`` signed by its upstream: a COSE_Sign1 whose protected
/// header carries `alg` (1), `kid` (4), content type (3)
/// `application/vouch-trust+cbor` and the signer's certificate chain as
/// `x5chain` (33, RFC 9360), so a terminal configured with nothing but a root
/// can check it.
///
/// A terminal replaces its trust store and policies only with a bundle that
/// ``open(_:roots:)`` accepted.
public struct SignedTrustBundle: Sendable {
    /// Largest signed bundle read.
    public static let maximumSize = 4 * 1024 * 1024
    /// The media type of the signed form (RFC 9052 §9.1).
    public static let mediaType = "application/cose; cose-type=\"cose-sign1\""
    /// The COSE content type of the payload.
    public static let contentType = "application/vouch-trust+cbor"
    /// A bundle has more items than a QR code: room for ``TrustBundle/maximumEntries`` of each list.
    static let limits = CBORLimits(maximumDepth: 8, maximumItems: 4 * TrustBundle.maximumEntries + 64)

    public let bundle: TrustBundle
    /// The certificate whose key signed the bundle (first of `x5chain`).
    public let signer: Certificate
    /// The tagged COSE_Sign1 bytes, exactly as received or produced.
    public let bytes: [UInt8]

    // MARK: Signing

    /// Signs `bundle` with `key`, whose certificate is `certificate`.
    ///
    /// - Parameter chain: intermediates between `certificate` and the root, if any.
    /// - Throws: `CryptoError` when signing fails or the key does not match the certificate.
    public static func sign(_ bundle: TrustBundle, key: PrivateKey, certificate: Certificate,
                            chain: [Certificate] = []) throws -> SignedTrustBundle {
        guard key.publicKey == certificate.publicKey else {
            throw CryptoError(code: .invalidKey, reason: "the signing key does not match the certificate")
        }
        let certificates = [certificate] + chain
        let x5chain: CBOR = certificates.count == 1
            ? .bytes(certificate.derRepresentation) : .array(certificates.map { .bytes($0.derRepresentation) })
        let sign1 = try COSESign1.sign(
            algorithm: Int64(key.algorithm.coseValue), kid: certificate.kid, payload: bundle.encoded(),
            extraProtected: [CBOR.Pair(3, .text(contentType)), CBOR.Pair(33, x5chain)]
        ) { try key.signature(for: $0) }
        return SignedTrustBundle(bundle: bundle, signer: certificate, bytes: sign1.encoded())
    }

    // MARK: Verifying

    /// Checks a signed bundle against the roots a terminal was configured with.
    ///
    /// In order: size, COSE shape, algorithm, `x5chain` and `kid`, the
    /// signature, the payload, then the signer's chain to one of `roots` at
    /// the bundle's `iat` (the moment it was signed).
    ///
    /// - Throws: ``TrustBundleError`` naming the first check that failed.
    public static func open(_ bytes: [UInt8], roots: [Certificate]) throws(TrustBundleError) -> SignedTrustBundle {
        guard bytes.count <= maximumSize else {
            throw TrustBundleError(.tooLarge, "\(bytes.count) bytes, limit \(maximumSize)")
        }
        let sign1: COSESign1
        do {
            sign1 = try COSESign1(tagged: bytes, limits: limits)
        } catch {
            throw TrustBundleError(.malformed, error.reason)
        }
        guard let alg = sign1.algorithm, let algorithm = SigningAlgorithm(coseValue: Int(alg)) else {
            throw TrustBundleError(.unsupportedAlgorithm, "alg must be ES256 (-7) or EdDSA (-8)")
        }
        guard sign1.protectedHeader[3]?.textValue == contentType else {
            throw TrustBundleError(.malformed, "content type must be \(contentType)")
        }
        let chain = try certificates(sign1.protectedHeader[33])
        let signer = chain[0]
        guard sign1.kid == signer.kid else { throw TrustBundleError(.malformed, "kid does not match x5chain") }
        guard signer.publicKey.algorithm == algorithm else {
            throw TrustBundleError(.unsupportedAlgorithm, "alg does not match the signer's key")
        }
        guard signer.publicKey.isValidSignature(sign1.signature, for: sign1.toBeSigned()) else {
            throw TrustBundleError(.badSignature, "the signature does not verify")
        }
        let bundle = try TrustBundle(cbor: sign1.payload)
        let verdict = ChainVerifier(roots: roots).verify(signer, intermediates: Array(chain.dropFirst()),
                                                         at: bundle.issuedAtDate)
        if case .invalid(let reason) = verdict {
            throw TrustBundleError(.untrustedSigner, "signer \(signer.subject): \(reason)")
        }
        return SignedTrustBundle(bundle: bundle, signer: signer, bytes: bytes)
    }

    private static func certificates(_ x5chain: CBOR?) throws(TrustBundleError) -> [Certificate] {
        let ders: [[UInt8]]
        switch x5chain {
        case .bytes(let der)?: ders = [der]
        case .array(let items)? where !items.isEmpty && items.count <= 8:
            var out: [[UInt8]] = []
            for item in items {
                guard let der = item.bytesValue else { throw TrustBundleError(.malformed, "x5chain holds a non-bstr") }
                out.append(der)
            }
            ders = out
        default: throw TrustBundleError(.malformed, "x5chain (33) missing from the protected header")
        }
        do {
            return try ders.map { try Certificate(derRepresentation: $0) }
        } catch {
            throw TrustBundleError(.malformed, "x5chain: unreadable certificate")
        }
    }
}
