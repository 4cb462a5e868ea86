/// Arithmetic modulo the P-256 prime, just enough to decompress a public point (SEC 1 §2.3.4).
///
/// Why it exists: a holder key travels compressed (format.md §6), and
/// OpenSSL 3.0 solves for `y` with its generic `BN_mod_sqrt`, which sets up a
/// fresh Montgomery context and runs a generic exponentiation: about 210k
/// instructions per key, a quarter of the ES256 verification the key is then
/// used for. Here the square root is one fixed addition chain (253 squarings,
/// 7 multiplications) in Montgomery form on four 64-bit limbs: about 10× less.
///
/// Only public values pass through here (a point's coordinates), so the code
/// is not constant-time. The result is checked (`y² = x³ − 3x + b`), and the
/// point is checked once more by OpenSSL when the key is imported.
enum P256Field {
    /// Four little-endian 64-bit limbs.
    typealias Element = (UInt64, UInt64, UInt64, UInt64)

    /// p = 2²⁵⁶ − 2²²⁴ + 2¹⁹² + 2⁹⁶ − 1.
    static let p: Element = (0xFFFF_FFFF_FFFF_FFFF, 0x0000_0000_FFFF_FFFF, 0, 0xFFFF_FFFF_0000_0001)
    /// R² mod p with R = 2²⁵⁶, to enter Montgomery form.
    static let rr: Element = (0x0000_0000_0000_0003, 0xFFFF_FFFB_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFE, 0x0000_0004_FFFF_FFFD)
    /// The curve's b, in Montgomery form (b·R mod p), computed once.
    static let bMont: Element = toMontgomery((0x3BCE_3C3E_27D2_604B, 0x651D_06B0_CC53_B0F6,
                                              0xB3EB_BD55_7698_86BC, 0x5AC6_35D8_AA3A_93E7))

    /// `y` (32 bytes, big-endian) of the point with this `x` and parity, or `nil` when no point has this `x`.
    ///
    /// - Parameter x: 32 bytes, big-endian; `x ≥ p` has no point.
    static func decompress(x bytes: [UInt8], yIsOdd: Bool) -> [UInt8]? {
        guard bytes.count == 32 else { return nil }
        let x = element(bytes)
        guard less(x, p) else { return nil }
        let xm = toMontgomery(x)
        // x³ − 3x + b
        var rhs = multiply(square(xm), xm)
        rhs = subtract(rhs, add(add(xm, xm), xm))
        rhs = add(rhs, bMont)
        let root = squareRoot(rhs)
        guard equal(square(root), rhs) else { return nil }  // not a square: x is not on the curve
        var y = fromMontgomery(root)
        if (y.0 & 1 == 1) != yIsOdd {
            guard !isZero(y) else { return nil }
            y = subtract(p, y)
        }
        return self.bytes(y)
    }

    /// a^((p+1)/4), a square root of `a` when one exists (p ≡ 3 mod 4).
    ///
    /// (p+1)/4 = (2³² − 1)·2²²² + 2¹⁹⁰ + 2⁹⁴: first a^(2³² − 1) by doubling runs of ones, then the two single bits.
    static func squareRoot(_ a: Element) -> Element {
        func squared(_ x: Element, _ times: Int) -> Element {
            var x = x
            for _ in 0..<times { x = square(x) }
            return x
        }
        let x2 = multiply(square(a), a)            // a^(2² − 1)
        let x4 = multiply(squared(x2, 2), x2)      // a^(2⁴ − 1)
        let x8 = multiply(squared(x4, 4), x4)
        let x16 = multiply(squared(x8, 8), x8)
        let x32 = multiply(squared(x16, 16), x16)  // a^(2³² − 1)
        var r = multiply(squared(x32, 32), a)      // (2³² − 1)·2³² + 1
        r = multiply(squared(r, 96), a)            // (2³² − 1)·2¹²⁸ + 2⁹⁶ + 1
        return squared(r, 94)
    }

    // MARK: Montgomery arithmetic

    static func toMontgomery(_ a: Element) -> Element { multiply(a, rr) }
    static func fromMontgomery(_ a: Element) -> Element { multiply(a, (1, 0, 0, 0)) }
    /// a²·R⁻¹ mod p: the 512-bit square with each cross product once (10 limb products, not 16),
    /// then four Montgomery reduction rounds that use p's shape (2 products each, not 4).
    static func square(_ a: Element) -> Element {
        // Cross products a_i·a_j (i < j) at limbs 1…6.
        var c: UInt64 = 0
        var r1: UInt64, r2: UInt64, r3: UInt64, r4: UInt64, r5: UInt64, r6: UInt64, r7: UInt64
        (r1, c) = mac(0, a.0, a.1, 0)
        (r2, c) = mac(0, a.0, a.2, c)
        (r3, c) = mac(0, a.0, a.3, c)
        r4 = c
        (r3, c) = mac(r3, a.1, a.2, 0)
        (r4, c) = mac(r4, a.1, a.3, c)
        r5 = c
        (r5, c) = mac(r5, a.2, a.3, 0)
        r6 = c
        // Doubled.
        r7 = r6 >> 63
        r6 = r6 << 1 | r5 >> 63
        r5 = r5 << 1 | r4 >> 63
        r4 = r4 << 1 | r3 >> 63
        r3 = r3 << 1 | r2 >> 63
        r2 = r2 << 1 | r1 >> 63
        r1 = r1 << 1
        // Plus the squares a_i² at limbs 2i, 2i+1.
        let (h0, r0) = a.0.multipliedFullWidth(by: a.0)
        let (h1, l1) = a.1.multipliedFullWidth(by: a.1)
        let (h2, l2) = a.2.multipliedFullWidth(by: a.2)
        let (h3, l3) = a.3.multipliedFullWidth(by: a.3)
        var k = false
        (r1, k) = adc(r1, h0, k)
        (r2, k) = adc(r2, l1, k)
        (r3, k) = adc(r3, h1, k)
        (r4, k) = adc(r4, l2, k)
        (r5, k) = adc(r5, h2, k)
        (r6, k) = adc(r6, l3, k)
        (r7, _) = adc(r7, h3, k)  // the square is below 2⁵¹²: no carry out
        // Reduction: round i adds m·p·2^(64i) with m = r_i, which clears limb i.
        var t: Wide8 = (r0, r1, r2, r3, r4, r5, r6, r7)
        var top = false
        reduceRound(&t.0, &t.1, &t.2, &t.3, &t.4, &t.5, carryIn: false, carryOut: &top)
        reduceRound(&t.1, &t.2, &t.3, &t.4, &t.5, &t.6, carryIn: top, carryOut: &top)
        reduceRound(&t.2, &t.3, &t.4, &t.5, &t.6, &t.7, carryIn: top, carryOut: &top)
        var spill: UInt64 = 0
        reduceRound(&t.3, &t.4, &t.5, &t.6, &t.7, &spill, carryIn: top, carryOut: &top)
        let result: Element = (t.4, t.5, t.6, t.7)
        return spill != 0 || top || !less(result, p) ? subtractRaw(result, p) : result
    }

    typealias Wide8 = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// Adds m·p to limbs (x0 … x4) with m = x0, so that x0 becomes 0; the carry goes into x5 (with `carryIn`,
    /// the previous round's carry out of its x5, added there too) and out of x5 into `carryOut`.
    @inline(__always)
    static func reduceRound(_ x0: inout UInt64, _ x1: inout UInt64, _ x2: inout UInt64, _ x3: inout UInt64,
                            _ x4: inout UInt64, _ x5: inout UInt64, carryIn: Bool, carryOut: inout Bool) {
        let m = x0
        x0 = 0
        var carry = m  // x0 + m·p₀ = m·2⁶⁴
        (x1, carry) = mac(x1, m, p.1, carry)
        var k = false
        (x2, k) = adc(x2, carry, false)
        (x3, carry) = mac(x3, m, p.3, k ? 1 : 0)
        (x4, k) = adc(x4, carry, false)
        var k2 = false
        (x5, k2) = adc(x5, 0, k)
        var k3 = false
        (x5, k3) = adc(x5, 0, carryIn)
        carryOut = k2 || k3
    }

    /// a + b + carry, with the carry out.
    @inline(__always)
    static func adc(_ a: UInt64, _ b: UInt64, _ carry: Bool) -> (UInt64, Bool) {
        let (s1, o1) = a.addingReportingOverflow(b)
        let (s2, o2) = s1.addingReportingOverflow(carry ? 1 : 0)
        return (s2, o1 || o2)
    }

    /// a·b·R⁻¹ mod p (CIOS; −p⁻¹ mod 2⁶⁴ is 1 for this p).
    static func multiply(_ a: Element, _ b: Element) -> Element {
        var t: Wide = (0, 0, 0, 0, 0, 0)
        step(&t, a, b.0)
        step(&t, a, b.1)
        step(&t, a, b.2)
        step(&t, a, b.3)
        let result: Element = (t.0, t.1, t.2, t.3)
        return t.4 != 0 || !less(result, p) ? subtractRaw(result, p) : result
    }

    /// Six limbs: the running sum of the CIOS loop.
    typealias Wide = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// One CIOS round: t += a·bi, then add m·p (m = t₀) and shift down one limb.
    @inline(__always)
    static func step(_ t: inout Wide, _ a: Element, _ bi: UInt64) {
        var carry: UInt64 = 0
        (t.0, carry) = mac(t.0, a.0, bi, carry)
        (t.1, carry) = mac(t.1, a.1, bi, carry)
        (t.2, carry) = mac(t.2, a.2, bi, carry)
        (t.3, carry) = mac(t.3, a.3, bi, carry)
        let (s4, o4) = t.4.addingReportingOverflow(carry)
        t.4 = s4
        t.5 = o4 ? 1 : 0
        // m = t₀ (−p⁻¹ ≡ 1 mod 2⁶⁴). With p₀ = 2⁶⁴ − 1, t₀ + m·p₀ = m·2⁶⁴ exactly; p₂ = 0 adds nothing.
        let m = t.0
        carry = m
        (t.0, carry) = mac(t.1, m, p.1, carry)
        let (s1, o1) = t.2.addingReportingOverflow(carry)
        t.1 = s1
        carry = o1 ? 1 : 0
        (t.2, carry) = mac(t.3, m, p.3, carry)
        let (s3, o3) = t.4.addingReportingOverflow(carry)
        t.3 = s3
        t.4 = t.5 &+ (o3 ? 1 : 0)
    }

    /// a + b·c + carry as (low, high); cannot overflow 128 bits.
    @inline(__always)
    static func mac(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
        let (high, low) = b.multipliedFullWidth(by: c)
        let (s1, o1) = low.addingReportingOverflow(a)
        let (s2, o2) = s1.addingReportingOverflow(carry)
        return (s2, high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0))
    }

    static func add(_ a: Element, _ b: Element) -> Element {
        var borrowOut = false
        let sum = addRaw(a, b, carry: &borrowOut)
        return borrowOut || !less(sum, p) ? subtractRaw(sum, p) : sum
    }

    static func subtract(_ a: Element, _ b: Element) -> Element {
        less(a, b) ? addIgnoringCarry(subtractRaw(a, b), p) : subtractRaw(a, b)
    }

    static func addRaw(_ a: Element, _ b: Element, carry: inout Bool) -> Element {
        let (r0, c0) = a.0.addingReportingOverflow(b.0)
        let (s1, c1a) = a.1.addingReportingOverflow(b.1), (r1, c1b) = s1.addingReportingOverflow(c0 ? 1 : 0)
        let (s2, c2a) = a.2.addingReportingOverflow(b.2), (r2, c2b) = s2.addingReportingOverflow(c1a || c1b ? 1 : 0)
        let (s3, c3a) = a.3.addingReportingOverflow(b.3), (r3, c3b) = s3.addingReportingOverflow(c2a || c2b ? 1 : 0)
        carry = c3a || c3b
        return (r0, r1, r2, r3)
    }

    static func addIgnoringCarry(_ a: Element, _ b: Element) -> Element {
        var carry = false
        return addRaw(a, b, carry: &carry)
    }

    /// a − b modulo 2²⁵⁶.
    @inline(__always)
    static func subtractRaw(_ a: Element, _ b: Element) -> Element {
        let (r0, b0) = a.0.subtractingReportingOverflow(b.0)
        let (s1, b1a) = a.1.subtractingReportingOverflow(b.1), (r1, b1b) = s1.subtractingReportingOverflow(b0 ? 1 : 0)
        let (s2, b2a) = a.2.subtractingReportingOverflow(b.2), (r2, b2b) = s2.subtractingReportingOverflow(b1a || b1b ? 1 : 0)
        let (s3, b3a) = a.3.subtractingReportingOverflow(b.3), (r3, _) = s3.subtractingReportingOverflow(b2a || b2b ? 1 : 0)
        return (r0, r1, r2, r3)
    }

    @inline(__always)
    static func less(_ a: Element, _ b: Element) -> Bool {
        if a.3 != b.3 { return a.3 < b.3 }
        if a.2 != b.2 { return a.2 < b.2 }
        if a.1 != b.1 { return a.1 < b.1 }
        return a.0 < b.0
    }

    static func equal(_ a: Element, _ b: Element) -> Bool { a.0 == b.0 && a.1 == b.1 && a.2 == b.2 && a.3 == b.3 }
    static func isZero(_ a: Element) -> Bool { a.0 | a.1 | a.2 | a.3 == 0 }

    // MARK: Bytes

    /// 32 big-endian bytes as limbs.
    static func element(_ bytes: [UInt8]) -> Element {
        func limb(_ index: Int) -> UInt64 {
            var value: UInt64 = 0
            for byte in bytes[(24 - 8 * index)..<(32 - 8 * index)] { value = value << 8 | UInt64(byte) }
            return value
        }
        return (limb(0), limb(1), limb(2), limb(3))
    }

    /// Limbs as 32 big-endian bytes.
    static func bytes(_ a: Element) -> [UInt8] {
        [a.3, a.2, a.1, a.0].flatMap { limb in (0..<8).map { UInt8(truncatingIfNeeded: limb >> (56 - 8 * $0)) } }
    }
}
