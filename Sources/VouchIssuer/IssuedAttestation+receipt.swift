public import VouchCore

extension IssuedAttestation {
    /// The same code carrying the log's receipt in its unprotected header (format.md §7).
    ///
    /// The issuer's signature and the logged token hash do not cover the
    /// unprotected header, so both stay as they were; only the text grows
    /// (about 80 bytes for an Ed25519 receipt).
    ///
    /// - Throws: ``FormatError`` if `coseBytes` is not a COSE_Sign1 (it always is when this issuer signed it).
    public func attaching(_ receipt: LogReceipt) throws(FormatError) -> IssuedAttestation {
        let sign1 = try COSESign1(tagged: coseBytes)
        return IssuedAttestation(claims: claims, coseBytes: sign1.attaching(receipt).encoded())
    }

    /// The COSE_Sign1_Tagged bytes with an empty unprotected header: what
    /// was signed and logged, whose SHA-256 is the log entry's token hash.
    public var loggedBytes: [UInt8] {
        (try? COSESign1(tagged: coseBytes).loggedBytes) ?? coseBytes
    }
}
