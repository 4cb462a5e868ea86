internal import COpenSSL
import Synchronization

/// Solves a compressed P-256 point for `y` (SEC 1 §2.3.4) with OpenSSL's BIGNUM API.
///
/// Why it exists: a holder key travels compressed (format.md §6). OpenSSL 3.0
/// decompresses with its generic `BN_mod_sqrt`, which builds a fresh
/// Montgomery context for p on every call; here everything that does not
/// depend on the key (p, b, (p+1)/4 and the Montgomery context for p) is set
/// up once, and the square root is one `BN_mod_exp_mont` with that cached
/// context (p ≡ 3 mod 4, so a root of `a` is `a^((p+1)/4)`). All arithmetic is
/// OpenSSL's ("System OpenSSL 3 for ALL crypto"); only public values pass
/// through. The result is checked (`y² = x³ − 3x + b`), and OpenSSL checks the
/// whole point once more when the key is imported.
///
/// `@unchecked Sendable` is safe because the constants are written once in
/// `init` and only read afterwards: `BN_mod_exp_mont` takes the Montgomery
/// context as `const` and so do the other calls for their moduli; each call
/// has a `BN_CTX` of its own, taken from `contexts` under its mutex and given
/// back after `BN_CTX_end` (a reused `BN_CTX` keeps its numbers allocated:
/// about 11k of 173k instructions per key saved, Benchmarks/README.md). The
/// numbers it holds are public (a point's coordinates). The one instance
/// lives as long as the process.
final class P256Decompression: @unchecked Sendable {
    /// The one shared instance; `nil` only if OpenSSL could not allocate the constants.
    static let shared: P256Decompression? = P256Decompression()

    /// p = 2²⁵⁶ − 2²²⁴ + 2¹⁹² + 2⁹⁶ − 1, the curve's b, (p+1)/4 and 3.
    private let p: OpaquePointer
    private let b: OpaquePointer
    private let rootExponent: OpaquePointer
    private let three: OpaquePointer
    /// Montgomery context for p, only read after `init`.
    private let montgomery: OpaquePointer
    /// Idle `BN_CTX`s, at most ``maximumSpareContexts``; each is used by one call at a time.
    private let contexts = Mutex<[Context]>([])
    static let maximumSpareContexts = 64

    /// One `BN_CTX`, freed with its box (with every number it allocated).
    ///
    /// `@unchecked Sendable`: it moves between threads only through `contexts`.
    private final class Context: @unchecked Sendable {
        let pointer: OpaquePointer

        init?() {
            guard let pointer = BN_CTX_new() else { return nil }
            self.pointer = pointer
        }

        deinit { BN_CTX_free(pointer) }
    }

    static let pBytes: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ]
    static let bBytes: [UInt8] = [
        0x5A, 0xC6, 0x35, 0xD8, 0xAA, 0x3A, 0x93, 0xE7, 0xB3, 0xEB, 0xBD, 0x55, 0x76, 0x98, 0x86, 0xBC,
        0x65, 0x1D, 0x06, 0xB0, 0xCC, 0x53, 0xB0, 0xF6, 0x3B, 0xCE, 0x3C, 0x3E, 0x27, 0xD2, 0x60, 0x4B,
    ]

    private init?() {
        let p = BN_bin2bn(Self.pBytes, 32, nil), b = BN_bin2bn(Self.bBytes, 32, nil)
        let e = BN_new(), three = BN_new(), montgomery = BN_MONT_CTX_new(), context = BN_CTX_new()
        defer { BN_CTX_free(context) }
        guard let p, let b, let e, let three, let montgomery, let context,
              BN_copy(e, p) != nil, BN_add_word(e, 1) == 1, BN_rshift(e, e, 2) == 1, BN_set_word(three, 3) == 1,
              BN_MONT_CTX_set(montgomery, p, context) == 1 else {
            OpenSSL.clearErrors()
            [p, b, e, three].forEach { BN_free($0) }
            BN_MONT_CTX_free(montgomery)
            return nil
        }
        (self.p, self.b, self.rootExponent, self.three, self.montgomery) = (p, b, e, three, montgomery)
    }

    /// `y` (32 bytes, big-endian) of the point with this `x` and parity, or `nil` when no point has this `x`.
    ///
    /// - Parameter x: 32 bytes, big-endian; `x ≥ p` has no point.
    func y(x bytes: [UInt8], yIsOdd: Bool) -> [UInt8]? {
        guard bytes.count == 32, let box = contexts.withLock({ $0.popLast() }) ?? Context() else { return nil }
        let context = box.pointer
        defer {
            BN_CTX_end(context)  // releases the BN_CTX_get numbers for the next user of the context
            contexts.withLock { spares in
                if spares.count < Self.maximumSpareContexts { spares.append(box) }
            }
        }
        BN_CTX_start(context)
        guard let x = BN_CTX_get(context), let rhs = BN_CTX_get(context),
              let y = BN_CTX_get(context), let check = BN_CTX_get(context),
              BN_bin2bn(bytes, 32, x) != nil else {
            OpenSSL.clearErrors()
            return nil
        }
        guard BN_cmp(x, p) < 0 else { return nil }
        // rhs = (x² − 3)·x + b, every step with operands already below p.
        guard BN_mod_sqr(rhs, x, p, context) == 1, BN_mod_sub_quick(rhs, rhs, three, p) == 1,
              BN_mod_mul(rhs, rhs, x, p, context) == 1, BN_mod_add_quick(rhs, rhs, b, p) == 1,
              BN_mod_exp_mont(y, rhs, rootExponent, p, context, montgomery) == 1,
              BN_mod_sqr(check, y, p, context) == 1 else {
            OpenSSL.clearErrors()
            return nil
        }
        guard BN_cmp(check, rhs) == 0 else { return nil }  // not a square: x is not on the curve
        if (BN_is_odd(y) == 1) != yIsOdd {
            guard BN_is_zero(y) == 0, BN_sub(y, p, y) == 1 else { return nil }
        }
        var ok = false
        let result = [UInt8](unsafeUninitializedCapacity: 32) { buffer, initialized in
            ok = BN_bn2binpad(y, buffer.baseAddress, 32) == 32
            initialized = ok ? 32 : 0
        }
        return ok ? result : nil
    }
}
