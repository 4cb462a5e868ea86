/// A Token Status List: one small status value per attestation, packed into bytes (format.md §4).
///
/// Each entry takes ``bits`` bits (1, 2, 4 or 8; Vouch writes 2). Entries are
/// packed from the least significant bit of byte 0 upwards, as
/// draft-ietf-oauth-status-list §4.1 says: with 2 bits, index 0 is bits 0-1 of
/// byte 0, index 3 is bits 6-7 of byte 0 and index 4 is bits 0-1 of byte 1.
///
/// On the wire the bytes travel zlib-compressed (``compressed()``), and are
/// inflated with a hard limit (``init(compressed:bits:maximumByteCount:)``) so
/// that a small hostile list cannot make a terminal allocate more than
/// ``maximumByteCount`` (format.md §2).
public struct StatusList: Sendable, Hashable {
    /// The bit widths the draft allows.
    public static let allowedBits: Set<Int> = [1, 2, 4, 8]
    /// The largest inflated list accepted: 4 MiB (format.md §2), 16,777,216 entries at 2 bits.
    public static let maximumByteCount = 4 << 20

    /// The status values of format.md §4.
    public enum Value {
        public static let valid: UInt8 = 0
        public static let invalid: UInt8 = 1
        public static let suspended: UInt8 = 2
    }

    /// Bits per entry.
    public let bits: Int
    /// The packed entries.
    public private(set) var bytes: [UInt8]

    /// An all-valid list of at least `count` entries (rounded up to whole bytes).
    ///
    /// - Precondition: `bits` is 1, 2, 4 or 8, and the list fits in ``maximumByteCount``.
    public init(count: Int, bits: Int = 2) {
        precondition(Self.allowedBits.contains(bits), "status list bits must be 1, 2, 4 or 8")
        precondition(count >= 0 && count <= Self.maximumByteCount / bits * 8, "status list size out of range")
        self.bits = bits
        self.bytes = [UInt8](repeating: 0, count: (count * bits + 7) / 8)
    }

    /// A list over already packed bytes.
    ///
    /// - Throws: ``FormatError`` `.malformed` for a bit width other than 1, 2, 4
    ///   or 8 or an empty list, `.payloadTooLarge` past ``maximumByteCount``.
    public init(bytes: [UInt8], bits: Int) throws(FormatError) {
        guard Self.allowedBits.contains(bits) else { throw .malformed("status list bits must be 1, 2, 4 or 8") }
        guard !bytes.isEmpty else { throw .malformed("status list is empty") }
        guard bytes.count <= Self.maximumByteCount else {
            throw FormatError(.payloadTooLarge, "status list is larger than \(Self.maximumByteCount) bytes")
        }
        self.bits = bits
        self.bytes = bytes
    }

    /// Inflates a zlib-compressed list (the `lst` of a Status List Token), stopping at a limit.
    ///
    /// - Parameters:
    ///   - compressed: The zlib stream.
    ///   - bits: Bits per entry.
    ///   - maximumByteCount: The largest inflated list accepted; at most ``maximumByteCount``.
    /// - Throws: ``FormatError`` `.payloadTooLarge` as soon as inflating passes the
    ///   limit (nothing larger is ever allocated), `.malformed` for a stream
    ///   that is not valid zlib, has bytes after its end, or inflates to nothing.
    public init(compressed: [UInt8], bits: Int, maximumByteCount: Int = StatusList.maximumByteCount)
        throws(FormatError)
    {
        guard Self.allowedBits.contains(bits) else { throw .malformed("status list bits must be 1, 2, 4 or 8") }
        let limit = min(max(0, maximumByteCount), Self.maximumByteCount)
        let inflated: [UInt8]
        do {
            inflated = try Zlib.decompress(compressed, maxOutputBytes: limit)
        } catch let error as ZlibError where error.code == .outputTooLarge {
            throw FormatError(.payloadTooLarge, "status list inflates past \(limit) bytes")
        } catch {
            throw .malformed("status list lst is not a zlib stream")
        }
        try self.init(bytes: inflated, bits: bits)
    }

    /// The number of entries the bytes hold.
    public var count: Int { bytes.count * 8 / bits }

    /// The entry at `index`, or `nil` when the list is shorter.
    public func value(at index: Int) -> UInt8? {
        guard index >= 0, index < count else { return nil }
        return self[index]
    }

    /// The entry at `index`.
    ///
    /// - Precondition: `0 <= index < count`; a set value fits in ``bits``.
    public subscript(index: Int) -> UInt8 {
        get {
            precondition(index >= 0 && index < count, "status list index out of range")
            let (byte, shift) = position(index)
            return (bytes[byte] >> shift) & mask
        }
        set {
            precondition(index >= 0 && index < count, "status list index out of range")
            precondition(newValue <= mask, "status value \(newValue) does not fit in \(bits) bits")
            let (byte, shift) = position(index)
            bytes[byte] = bytes[byte] & ~(mask << shift) | newValue << shift
        }
    }

    /// The zlib stream of the bytes (RFC 1950, highest compression, as the draft recommends).
    ///
    /// - Throws: ``ZlibError`` when zlib fails.
    public func compressed() throws -> [UInt8] {
        try Zlib.compress(bytes, level: 9)
    }

    private var mask: UInt8 { UInt8(truncatingIfNeeded: (1 << bits) - 1) }

    private func position(_ index: Int) -> (byte: Int, shift: Int) {
        let bit = index * bits
        return (bit / 8, bit % 8)
    }
}
