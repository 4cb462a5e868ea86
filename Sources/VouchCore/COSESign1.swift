/// A COSE_Sign1 structure (RFC 9052 §4.2), always carried with tag 18.
///
/// The protected header is kept as the exact bytes that were signed; the
/// decoded map is derived from them. Only the header parameters Vouch uses
/// are interpreted: `alg` (1) and `kid` (4), both in the protected bucket.
public struct COSESign1: Sendable, Hashable {
    /// CBOR tag of COSE_Sign1_Tagged.
    public static let tag: UInt64 = 18

    /// The serialized protected header map (the content of the bstr).
    public let protectedBytes: [UInt8]
    /// The decoded protected header map.
    public let protectedHeader: CBOR
    /// The unprotected header map's entries.
    public let unprotectedHeader: [CBOR.Pair]
    public let payload: [UInt8]
    public let signature: [UInt8]

    /// Builds a structure from its parts; `protectedHeader` is encoded deterministically.
    public init(protectedHeader: [CBOR.Pair], unprotectedHeader: [CBOR.Pair] = [], payload: [UInt8],
                signature: [UInt8]) {
        let header = CBOR.map(protectedHeader)
        self.protectedBytes = header.encoded()
        self.protectedHeader = header
        self.unprotectedHeader = unprotectedHeader
        self.payload = payload
        self.signature = signature
    }

    /// Signs `payload` under a protected header of `alg` and `kid`.
    ///
    /// - Parameter signer: returns the raw signature over the Sig_structure bytes it is given.
    public static func sign(algorithm: Int64, kid: [UInt8], payload: [UInt8], extraProtected: [CBOR.Pair] = [],
                            signer: ([UInt8]) throws -> [UInt8]) rethrows -> COSESign1 {
        let header = [CBOR.Pair(1, .int(algorithm)), CBOR.Pair(4, .bytes(kid))] + extraProtected
        let unsigned = COSESign1(protectedHeader: header, payload: payload, signature: [])
        let signature = try signer(unsigned.toBeSigned())
        return COSESign1(protectedBytes: unsigned.protectedBytes, protectedHeader: unsigned.protectedHeader,
                         unprotectedHeader: [], payload: payload, signature: signature)
    }

    private init(protectedBytes: [UInt8], protectedHeader: CBOR, unprotectedHeader: [CBOR.Pair], payload: [UInt8],
                 signature: [UInt8]) {
        self.protectedBytes = protectedBytes
        self.protectedHeader = protectedHeader
        self.unprotectedHeader = unprotectedHeader
        self.payload = payload
        self.signature = signature
    }

    /// The same structure with `unprotected` as its unprotected header.
    ///
    /// The signature covers the protected header and payload only, so it stays valid.
    public func replacingUnprotected(_ unprotected: [CBOR.Pair]) -> COSESign1 {
        COSESign1(protectedBytes: protectedBytes, protectedHeader: protectedHeader, unprotectedHeader: unprotected,
                  payload: payload, signature: signature)
    }

    /// `alg` from the protected header, when it is an integer.
    public var algorithm: Int64? { protectedHeader[1]?.int64 }

    /// `kid` from the protected header.
    public var kid: [UInt8]? { protectedHeader[4]?.bytesValue }

    /// The bytes a signature covers: `["Signature1", protected, h'', payload]` (RFC 9052 §4.4).
    ///
    /// With no protected attributes the body_protected field is a zero-length
    /// string, as RFC 9052 §4.4 says, even when the wire carried `h'a0'`.
    public func toBeSigned(externalAAD: [UInt8] = []) -> [UInt8] {
        let bodyProtected = protectedHeader == .map([]) ? [] : protectedBytes
        // Written directly: the same bytes as CBOR.array([...]).encoded(), without building the tree.
        var out: [UInt8] = [0x84, 0x6a]
        out.reserveCapacity(bodyProtected.count + externalAAD.count + payload.count + 24)
        out.append(contentsOf: "Signature1".utf8)
        for part in [bodyProtected, externalAAD, payload] {
            CBOR.writeHead(2, UInt64(part.count), into: &out)
            out.append(contentsOf: part)
        }
        return out
    }

    /// The tagged encoding `#6.18([protected, unprotected, payload, signature])`.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = [0xd2, 0x84]  // tag 18, array of 4
        out.reserveCapacity(protectedBytes.count + payload.count + signature.count + 16)
        CBOR.writeHead(2, UInt64(protectedBytes.count), into: &out)
        out.append(contentsOf: protectedBytes)
        CBOR.map(unprotectedHeader).encode(into: &out)
        CBOR.writeHead(2, UInt64(payload.count), into: &out)
        out.append(contentsOf: payload)
        CBOR.writeHead(2, UInt64(signature.count), into: &out)
        out.append(contentsOf: signature)
        return out
    }
}

extension COSESign1 {
    /// Decodes COSE_Sign1_Tagged bytes, strictly.
    ///
    /// - Throws: ``FormatError`` `.malformed` for bad CBOR, a missing tag 18,
    ///   a wrong shape, a detached payload, or a header parameter in both buckets.
    public init(tagged bytes: [UInt8], limits: CBORLimits = .default) throws(FormatError) {
        let item: CBOR
        do {
            item = try CBORDecoder.decode(bytes, limits: limits)
        } catch {
            throw .malformed("COSE_Sign1: \(error)")
        }
        guard case .tagged(Self.tag, let body) = item else {
            throw .malformed("not a COSE_Sign1 (tag 18) structure")
        }
        guard case .array(let parts) = body, parts.count == 4 else {
            throw .malformed("COSE_Sign1 must be an array of 4 elements")
        }
        guard case .bytes(let protectedBytes) = parts[0] else {
            throw .malformed("COSE_Sign1 protected header must be a byte string")
        }
        guard case .map(let unprotected) = parts[1] else {
            throw .malformed("COSE_Sign1 unprotected header must be a map")
        }
        guard case .bytes(let payload) = parts[2] else {
            throw .malformed("COSE_Sign1 payload must be an embedded byte string")
        }
        guard case .bytes(let signature) = parts[3] else {
            throw .malformed("COSE_Sign1 signature must be a byte string")
        }
        let header: CBOR
        if protectedBytes.isEmpty {
            header = .map([])
        } else {
            do {
                header = try CBORDecoder.decode(protectedBytes, limits: limits)
            } catch {
                throw .malformed("protected header: \(error)")
            }
        }
        guard case .map(let protectedPairs) = header else {
            throw .malformed("protected header must be a map")
        }
        // Pairwise: header maps hold a handful of entries, and a Set of CBOR
        // keys cost more than the whole rest of this check.
        for index in unprotected.indices where protectedPairs.containsKey(unprotected[index].key) {
            throw .malformed("header parameter \(unprotected[index].key.diagnostic) is in both header buckets")
        }
        if protectedPairs.containsKey(2) || unprotected.containsKey(2) {
            throw .malformed("critical header parameters (crit) are not supported")
        }
        self.protectedBytes = protectedBytes
        self.protectedHeader = header
        self.unprotectedHeader = unprotected
        self.payload = payload
        self.signature = signature
    }
}
