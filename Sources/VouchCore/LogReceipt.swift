/// A log receipt (format.md §7): the audit log's signed promise that a code's
/// entry is in the log at `index`.
///
/// It travels in the code's unprotected header under ``label``, as
/// `bstr .cbor [index, time, signature]`, so the issuer's signature (which
/// covers the protected header and payload only) and the logged token hash
/// (taken with an empty unprotected map) are the same with or without it.
/// A policy can then refuse codes minted off the books, as browsers refuse a
/// certificate without a Certificate Transparency SCT.
public struct LogReceipt: Sendable, Hashable {
    /// The unprotected header label that carries a receipt.
    public static let label: Int64 = -65537
    /// Longest signature read: a raw Ed25519 or P-256 r||s signature is 64 bytes.
    public static let maximumSignatureLength = 64
    /// Longest encoded receipt read (array head, two 9-byte uints, a 64-byte bstr).
    public static let maximumEncodedLength = 96

    /// The entry's index in the log.
    public let index: UInt64
    /// The entry's time, NumericDate seconds (the `time` of its log entry).
    public let time: UInt64
    /// The receipt key's signature over ``message(origin:tokenHash:)``.
    public let signature: [UInt8]

    public init(index: UInt64, time: UInt64, signature: [UInt8]) {
        self.index = index
        self.time = time
        self.signature = signature
    }

    /// The deterministic CBOR array `[index, time, signature]` (the content of the header's bstr).
    public func encoded() -> [UInt8] {
        CBOR.array([.unsigned(index), .unsigned(time), .bytes(signature)]).encoded()
    }

    /// Decodes the content of the header's bstr, strictly.
    ///
    /// - Throws: ``FormatError`` `.malformed` for anything but an array of two
    ///   unsigned integers and a signature of 1 to 64 bytes.
    public init(cbor bytes: [UInt8]) throws(FormatError) {
        guard bytes.count <= Self.maximumEncodedLength else {
            throw .malformed("log receipt is \(bytes.count) bytes, the limit is \(Self.maximumEncodedLength)")
        }
        let item: CBOR
        do {
            item = try CBORDecoder.decode(bytes, limits: CBORLimits(maximumDepth: 2, maximumItems: 4))
        } catch {
            throw .malformed("log receipt: \(error)")
        }
        guard case .array(let parts) = item, parts.count == 3 else {
            throw .malformed("log receipt must be an array [index, time, signature]")
        }
        guard let index = parts[0].uint64, let time = parts[1].uint64 else {
            throw .malformed("log receipt index and time must be unsigned integers")
        }
        guard let signature = parts[2].bytesValue, (1...Self.maximumSignatureLength).contains(signature.count) else {
            throw .malformed("log receipt signature must be 1 to \(Self.maximumSignatureLength) bytes")
        }
        self.init(index: index, time: time, signature: signature)
    }

    /// The signed text of format.md §7:
    /// `"vouch log receipt v1\n" origin "\n" index "\n" time "\n" base64(token) "\n"`.
    ///
    /// - Parameters:
    ///   - origin: the log's checkpoint origin line.
    ///   - tokenHash: SHA-256 of the code with an empty unprotected map (what was logged).
    public func message(origin: String, tokenHash: [UInt8]) -> [UInt8] {
        Self.message(origin: origin, index: index, time: time, tokenHash: tokenHash)
    }

    /// The signed text for the given fields (what the log signs before it has a signature).
    public static func message(origin: String, index: UInt64, time: UInt64, tokenHash: [UInt8]) -> [UInt8] {
        Array("vouch log receipt v1\n\(origin)\n\(index)\n\(time)\n\(base64(tokenHash))\n".utf8)
    }

    /// Standard base64 with padding (RFC 4648 §4); VouchCore links no Foundation.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let rest = min(3, bytes.count - i)
            var n = UInt32(bytes[i]) << 16
            if rest > 1 { n |= UInt32(bytes[i + 1]) << 8 }
            if rest > 2 { n |= UInt32(bytes[i + 2]) }
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest > 1 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(rest > 2 ? alphabet[Int(n & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension COSESign1 {
    /// The structure carrying `receipt` (and nothing else) in its unprotected header.
    public func attaching(_ receipt: LogReceipt) -> COSESign1 {
        replacingUnprotected([CBOR.Pair(.int(LogReceipt.label), .bytes(receipt.encoded()))])
    }

    /// The tagged encoding with an empty unprotected map: what the issuer
    /// signed and logged, whose SHA-256 is the entry's token hash (format.md §7).
    public var loggedBytes: [UInt8] { replacingUnprotected([]).encoded() }

    /// The receipt in the unprotected header, if there is one.
    ///
    /// - Throws: ``FormatError`` `.malformed` if the header holds any other
    ///   label, or a receipt that is not a well-formed `bstr .cbor` array.
    public func logReceipt() throws(FormatError) -> LogReceipt? {
        guard !unprotectedHeader.isEmpty else { return nil }
        guard unprotectedHeader.count == 1, unprotectedHeader[0].key == .int(LogReceipt.label) else {
            throw .malformed("the unprotected header may hold only a log receipt (\(LogReceipt.label))")
        }
        guard case .bytes(let bytes) = unprotectedHeader[0].value else {
            throw .malformed("the log receipt must be a byte string holding CBOR")
        }
        return try LogReceipt(cbor: bytes)
    }
}
