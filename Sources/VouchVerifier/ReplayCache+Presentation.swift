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
        guard signature.count == 64 else { return Array(Digest.sha256(signature).prefix(16)) }
        let s = Array(signature[32...])
        let normalized = Array(signature[..<32]) + (isGreaterThanHalfOrder(s) ? subtract(s, from: p256Order) : s)
        return Array(Digest.sha256(normalized).prefix(16))
    }

    /// n, the order of the P-256 group, big-endian.
    static let p256Order: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
    ]

    /// Whether `s > n / 2` (big-endian, 32 bytes): compares `2s` with `n` without overflow.
    static func isGreaterThanHalfOrder(_ s: [UInt8]) -> Bool {
        // n is odd, so s > (n - 1) / 2  <=>  2s > n - 1  <=>  2s >= n.
        var doubled = [UInt8](repeating: 0, count: 33)
        var carry: UInt16 = 0
        for i in stride(from: 31, through: 0, by: -1) {
            let v = UInt16(s[i]) << 1 | carry
            doubled[i + 1] = UInt8(v & 0xff)
            carry = v >> 8
        }
        doubled[0] = UInt8(carry)
        let order = [0] + p256Order
        return !doubled.lexicographicallyPrecedes(order)
    }

    /// `a - b` for 32-byte big-endian numbers with `a >= b`.
    static func subtract(_ b: [UInt8], from a: [UInt8]) -> [UInt8] {
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
