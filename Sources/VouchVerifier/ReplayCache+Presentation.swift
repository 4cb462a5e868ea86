public import Foundation
import VouchCrypto

/// Presentations remembered for their window (format.md §6), in the same bounded cache as single-use `cti`s.
///
/// A presentation is known by SHA-256 of its signature, first 16 bytes (a
/// 128-bit key, as a `cti` is). ECDSA signatures are malleable: `(r, s)` and
/// `(r, n - s)` both verify, so anyone holding a screenshot could make a
/// "new" signature of the same presentation. The hash is therefore taken over
/// `r || min(s, n - s)`, which is the same for both.
extension ReplayCache {
    /// Records a presentation's ES256 signature until `expiresAt`, or reports that it was already shown.
    public func record(presentationSignature signature: [UInt8], expiresAt: UInt64, now: Date) -> Outcome {
        record(tokenID: Self.presentationKey(signature), expiresAt: expiresAt, now: now)
    }

    /// The 16-byte cache key of an r||s signature, the same for both of its malleable forms.
    static func presentationKey(_ signature: [UInt8]) -> [UInt8] {
        guard signature.count == 64, isGreaterThanHalfOrder(signature[32...]) else {
            return Array(Digest.sha256(signature).prefix(16))
        }
        var normalized = signature
        normalized.replaceSubrange(32..., with: subtract(signature[32...], from: p256Order))
        return Array(Digest.sha256(normalized).prefix(16))
    }

    /// n, the order of the P-256 group, big-endian.
    static let p256Order: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
    ]

    /// (n - 1) / 2, big-endian: the largest low `s`.
    static let p256HalfOrder: [UInt8] = [
        0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8,
    ]

    /// Whether `s > (n - 1) / 2` for 32 big-endian bytes: one comparison, no
    /// arithmetic (every presentation a till accepts passes here; the former
    /// doubling and its arrays were about 3k instructions).
    static func isGreaterThanHalfOrder(_ s: some Collection<UInt8>) -> Bool {
        for (byte, half) in zip(s, p256HalfOrder) where byte != half { return byte > half }
        return false
    }

    /// `a - b` for 32-byte big-endian numbers with `a >= b`.
    static func subtract(_ b: some Collection<UInt8>, from a: [UInt8]) -> [UInt8] {
        let b = Array(b)
        var out = [UInt8](repeating: 0, count: 32)
        var borrow: Int16 = 0
        for i in stride(from: 31, through: 0, by: -1) {
            var v = Int16(a[i]) - Int16(b[i]) - borrow
            borrow = v < 0 ? 1 : 0
            if v < 0 { v += 256 }
            out[i] = UInt8(v)
        }
        return out
    }
}
