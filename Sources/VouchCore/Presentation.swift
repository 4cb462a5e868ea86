/// A holder's signed showing of a holder-bound code (format.md §6), not yet trusted.
///
/// ```
/// COSE_Sign1 = #6.18([ protected: bstr .cbor {1: -7}, unprotected: {},
///                      payload: bstr .cbor [credential: bstr, t: uint],
///                      signature: bstr ])   ; r||s by the cnf key
/// ```
/// Decoding is strict: any other header parameter, a payload of another
/// shape, or a credential without `cnf` is malformed. Whether the signature
/// is the holder's is the verifier's business (it needs VouchCrypto).
public struct Presentation: Sendable, Hashable {
    /// The presentation's COSE_Sign1_Tagged bytes.
    public let coseBytes: [UInt8]
    public let sign1: COSESign1
    /// The credential's COSE_Sign1_Tagged bytes exactly as issued.
    public let credentialBytes: [UInt8]
    /// The credential, decoded; its claims have a holder key.
    public let credential: DecodedAttestation
    /// NumericDate at which the holder signed.
    public let time: UInt64

    /// Decodes a `VCP1:` text.
    ///
    /// - Throws: ``FormatError`` whose code is the reason of format.md §3.
    public init(text: String) throws(FormatError) {
        try self.init(coseBytes: try VCP1.decode(text))
    }

    /// Decodes presentation COSE_Sign1_Tagged bytes and the credential inside.
    public init(coseBytes: [UInt8]) throws(FormatError) {
        guard coseBytes.count <= VCH1.maximumBinaryLength else {
            throw FormatError(.payloadTooLarge, "presentation is \(coseBytes.count) bytes, the limit is \(VCH1.maximumBinaryLength)")
        }
        let sign1 = try COSESign1(tagged: coseBytes)
        guard case .map(let header) = sign1.protectedHeader, let alg = sign1.protectedHeader[1] else {
            throw .malformed("presentation protected header has no alg")
        }
        guard alg == .int(VCP1.algorithm) else {
            throw FormatError(.unsupportedAlgorithm, "presentation alg \(alg.diagnostic) is not ES256 (-7)")
        }
        guard header.count == 1 else { throw .malformed("presentation protected header must be {1: -7} only") }
        guard sign1.unprotectedHeader.isEmpty else { throw .malformed("presentation unprotected header must be empty") }
        guard sign1.signature.count == 64 else {
            throw .malformed("presentation signature must be 64 bytes, got \(sign1.signature.count)")
        }
        let body: CBOR
        do {
            body = try CBORDecoder.decode(sign1.payload)
        } catch {
            throw .malformed("presentation payload: \(error)")
        }
        guard case .array(let parts) = body, parts.count == 2, case .bytes(let credentialBytes) = parts[0],
              case .unsigned(let time) = parts[1]
        else { throw .malformed("presentation payload must be [credential: bstr, t: uint]") }
        let credential = try DecodedAttestation(coseBytes: credentialBytes)
        guard credential.claims.holderKey != nil else {
            throw .malformed("the credential of a presentation has no holder key (cnf)")
        }
        self.coseBytes = coseBytes
        self.sign1 = sign1
        self.credentialBytes = credentialBytes
        self.credential = credential
        self.time = time
    }

    /// The bytes the holder signed: the Sig_structure with external_aad "vouch presentation v1".
    public func toBeSigned() -> [UInt8] {
        sign1.toBeSigned(externalAAD: VCP1.externalAAD)
    }

    /// The holder's r||s signature.
    public var signature: [UInt8] { sign1.signature }

    /// The `VCP1:` text.
    public var text: String { VCP1.encode(coseBytes) }

    /// Signs a presentation of `credential` at time `t`.
    ///
    /// - Parameters:
    ///   - credential: the code's COSE_Sign1_Tagged bytes exactly as issued.
    ///   - time: NumericDate of signing, from the holder's corrected clock.
    ///   - signer: returns the ES256 r||s signature of the holder key over the bytes it is given.
    /// - Throws: what `signer` throws, or ``FormatError`` when the result does not decode
    ///   (a credential without `cnf`, a signature of the wrong length).
    public static func sign(credential: [UInt8], time: UInt64,
                            signer: ([UInt8]) throws -> [UInt8]) throws -> Presentation {
        let payload = CBOR.array([.bytes(credential), .unsigned(time)]).encoded()
        let unsigned = COSESign1(protectedHeader: [CBOR.Pair(1, .int(VCP1.algorithm))], payload: payload, signature: [])
        let signature = try signer(unsigned.toBeSigned(externalAAD: VCP1.externalAAD))
        let signed = COSESign1(protectedHeader: [CBOR.Pair(1, .int(VCP1.algorithm))], payload: payload,
                               signature: signature)
        return try Presentation(coseBytes: signed.encoded())
    }
}
