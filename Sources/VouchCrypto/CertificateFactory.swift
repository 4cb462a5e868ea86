internal import COpenSSL
public import Foundation

/// Creates the certificates Vouch needs: a self-signed root and issued children.
///
/// Serial numbers are 16 random bytes (126 bits of entropy, always positive
/// and exactly 16 octets). EC issuers sign with ECDSA-SHA256; Ed25519 issuers
/// sign with PureEdDSA (no digest).
public enum CertificateFactory {
    /// Creates a self-signed CA certificate.
    ///
    /// Extensions: basicConstraints (critical, `CA:TRUE`, `pathlen`), keyUsage
    /// (critical, keyCertSign and cRLSign) and subjectKeyIdentifier.
    ///
    /// - Parameters:
    ///   - commonName: The subject CN; 1-64 characters.
    ///   - organization: The subject O, if any.
    ///   - key: The CA key; signs its own certificate.
    ///   - notBefore: Start of validity.
    ///   - notAfter: End of validity; must be after `notBefore`.
    ///   - pathLength: How many intermediate CAs may follow; 0 means only leaves.
    /// - Returns: The parsed certificate.
    /// - Throws: `CryptoError.invalidCertificate` for bad names, dates or
    ///   path length, or when OpenSSL cannot build or sign the certificate.
    public static func selfSignedCA(
        commonName: String, organization: String?, key: PrivateKey,
        notBefore: Date, notAfter: Date, pathLength: Int = 0
    ) throws -> Certificate {
        guard pathLength >= 0 else {
            throw CryptoError(code: .invalidCertificate, reason: "pathLength must not be negative")
        }
        let extensions = [
            (NID_basic_constraints, "critical,CA:TRUE,pathlen:\(pathLength)"),
            (NID_key_usage, "critical,keyCertSign,cRLSign"),
            (NID_subject_key_identifier, "hash"),
        ]
        return try build(
            commonName: commonName, organization: organization, subjectKey: key.publicKey,
            issuer: nil, issuerKey: key, notBefore: notBefore, notAfter: notAfter,
            extensions: extensions)
    }

    /// Issues a certificate for `subjectKey`, signed by a CA.
    ///
    /// A leaf gets basicConstraints (critical, `CA:FALSE`) and keyUsage
    /// (critical, digitalSignature); with `isCA` it gets `CA:TRUE, pathlen:0`
    /// and keyCertSign, cRLSign instead. Both get subjectKeyIdentifier and
    /// authorityKeyIdentifier.
    ///
    /// - Parameters:
    ///   - commonName: The subject CN; 1-64 characters.
    ///   - organization: The subject O, if any.
    ///   - subjectKey: The key being certified.
    ///   - issuer: The CA certificate; must be a CA with a subjectKeyIdentifier.
    ///   - issuerKey: The private key of `issuer`.
    ///   - notBefore: Start of validity.
    ///   - notAfter: End of validity; must be after `notBefore`.
    ///   - isCA: Whether the new certificate is an intermediate CA.
    /// - Returns: The parsed certificate.
    /// - Throws: `CryptoError.invalidKey` if `issuerKey` does not match
    ///   `issuer`; `.invalidCertificate` if `issuer` is not a CA or the
    ///   certificate cannot be built.
    public static func issue(
        commonName: String, organization: String?, subjectKey: PublicKey,
        issuer: Certificate, issuerKey: PrivateKey,
        notBefore: Date, notAfter: Date, isCA: Bool = false
    ) throws -> Certificate {
        guard issuer.isCA else {
            throw CryptoError(code: .invalidCertificate, reason: "issuer certificate is not a CA")
        }
        guard issuerKey.publicKey == issuer.publicKey else {
            throw CryptoError(code: .invalidKey, reason: "issuer key does not match issuer certificate")
        }
        let constraints =
            isCA
            ? [
                (NID_basic_constraints, "critical,CA:TRUE,pathlen:0"),
                (NID_key_usage, "critical,keyCertSign,cRLSign"),
            ]
            : [
                (NID_basic_constraints, "critical,CA:FALSE"),
                (NID_key_usage, "critical,digitalSignature"),
            ]
        let identifiers = [
            (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid:always"),
        ]
        return try build(
            commonName: commonName, organization: organization, subjectKey: subjectKey,
            issuer: issuer, issuerKey: issuerKey, notBefore: notBefore, notAfter: notAfter,
            extensions: constraints + identifiers)
    }

    /// Builds and signs a certificate; `issuer == nil` means self-signed.
    private static func build(
        commonName: String, organization: String?, subjectKey: PublicKey,
        issuer: Certificate?, issuerKey: PrivateKey, notBefore: Date, notAfter: Date,
        extensions: [(Int32, String)]
    ) throws -> Certificate {
        guard (1...64).contains(commonName.count) else {
            throw CryptoError(code: .invalidCertificate, reason: "commonName must be 1-64 characters")
        }
        guard notBefore < notAfter else {
            throw CryptoError(code: .invalidCertificate, reason: "notAfter must be after notBefore")
        }
        guard let certificate = X509_new() else {
            throw CryptoError.openSSL(.internal, "X509_new failed")
        }
        var owned = true
        defer { if owned { X509_free(certificate) } }

        guard X509_set_version(certificate, Int(X509_VERSION_3)) == 1 else {
            throw CryptoError.openSSL(.invalidCertificate, "cannot set version")
        }
        try setSerialNumber(certificate)
        try setNames(certificate, commonName: commonName, organization: organization, issuer: issuer)
        guard ASN1_TIME_set(X509_getm_notBefore(certificate), timeT(notBefore)) != nil,
            ASN1_TIME_set(X509_getm_notAfter(certificate), timeT(notAfter)) != nil
        else {
            throw CryptoError.openSSL(.invalidCertificate, "cannot set validity")
        }
        guard X509_set_pubkey(certificate, subjectKey.key.pointer) == 1 else {
            throw CryptoError.openSSL(.invalidCertificate, "cannot set public key")
        }
        try addExtensions(extensions, to: certificate, issuer: issuer?.handle.pointer ?? certificate)
        let digest = issuerKey.algorithm == .es256 ? EVP_sha256() : nil
        guard X509_sign(certificate, issuerKey.key.pointer, digest) > 0 else {
            throw CryptoError.openSSL(.invalidCertificate, "cannot sign certificate")
        }
        owned = false
        return try Certificate(taking: certificate)
    }

    private static func setSerialNumber(_ certificate: OpaquePointer) throws {
        var serial = try SecureRandom.bytes(count: 16)
        // Positive (top bit clear) and exactly 16 octets (next bit set).
        serial[0] = (serial[0] & 0x7f) | 0x40
        guard let number = BN_bin2bn(serial, Int32(serial.count), nil) else {
            throw CryptoError.openSSL(.internal, "BN_bin2bn failed")
        }
        defer { BN_free(number) }
        guard BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil else {
            throw CryptoError.openSSL(.invalidCertificate, "cannot set serial number")
        }
    }

    private static func setNames(
        _ certificate: OpaquePointer, commonName: String, organization: String?, issuer: Certificate?
    ) throws {
        guard let name = X509_NAME_new() else {
            throw CryptoError.openSSL(.internal, "X509_NAME_new failed")
        }
        defer { X509_NAME_free(name) }
        let entries = [organization.map { ("O", $0) }, ("CN", commonName)].compactMap { $0 }
        for (field, value) in entries {
            let added = Array(value.utf8).withOpenSSLBytes { base, count in
                X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, base, Int32(count), -1, 0)
            }
            guard added == 1 else {
                throw CryptoError.openSSL(.invalidCertificate, "invalid \(field) in subject")
            }
        }
        let issuerName = issuer.map { X509_get_subject_name($0.handle.pointer) } ?? name
        guard X509_set_subject_name(certificate, name) == 1,
            X509_set_issuer_name(certificate, issuerName) == 1
        else {
            throw CryptoError.openSSL(.invalidCertificate, "cannot set names")
        }
    }

    private static func addExtensions(
        _ extensions: [(Int32, String)], to certificate: OpaquePointer, issuer: OpaquePointer
    ) throws {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer, certificate, nil, nil, 0)
        // X509V3_set_ctx_nodb is a macro: no config database.
        context.db = nil
        for (nid, value) in extensions {
            guard let fresh = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw CryptoError.openSSL(.invalidCertificate, "cannot build extension \(value)")
            }
            defer { X509_EXTENSION_free(fresh) }
            guard X509_add_ext(certificate, fresh, -1) == 1 else {
                throw CryptoError.openSSL(.invalidCertificate, "cannot add extension \(value)")
            }
        }
    }

    private static func timeT(_ date: Date) -> time_t {
        // Clamp so that absurd dates cannot trap the conversion.
        let seconds = date.timeIntervalSince1970.rounded(.down)
        return time_t(max(-1e12, min(1e12, seconds)))
    }
}
