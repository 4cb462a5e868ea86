/// A holder's P-256 public key as a COSE_Key (RFC 9052 §7, RFC 9053 §7.1.1), the content of `cnf`.
///
/// Vouch binds codes to P-256 keys only (format.md §6): WebCrypto and phone
/// secure elements have that curve. Issuers write `y` as its sign bit (point
/// compression) to keep codes short; a 32-byte `y` is accepted on read. This
/// type checks shape only; whether the point is on the curve is checked by
/// VouchCrypto when the key is used (`PublicKey(coseKey:)`).
public struct COSEKey: Sendable, Hashable {
    /// How the key's `y` coordinate is carried.
    public enum YCoordinate: Sendable, Hashable {
        /// The sign bit: `true` when `y` is odd (RFC 9053 §7.1.1: the low bit of y).
        case signBit(Bool)
        /// The full 32-byte big-endian coordinate.
        case bytes([UInt8])
    }

    /// The 32-byte big-endian `x` coordinate.
    public let x: [UInt8]
    public let y: YCoordinate

    /// COSE_Key labels (integers: written as `.int(Label.kty)`, matched through `CBOR.int64`) and values
    /// (RFC 9052 §7.1, RFC 9053 §7.1).
    enum Label {
        static let kty: Int64 = 1
        static let crv: Int64 = -1
        static let x: Int64 = -2
        static let y: Int64 = -3
        /// kty EC2.
        static let ec2: CBOR = 2
        /// crv P-256.
        static let p256: CBOR = 1
    }

    /// Length of a P-256 coordinate.
    public static let coordinateLength = 32

    /// - Throws: ``FormatError`` `.malformed` unless `x` (and a full `y`) are 32 bytes.
    public init(x: [UInt8], y: YCoordinate) throws(FormatError) {
        guard x.count == Self.coordinateLength else { throw .malformed("COSE_Key x must be 32 bytes") }
        if case .bytes(let bytes) = y, bytes.count != Self.coordinateLength {
            throw .malformed("COSE_Key y must be 32 bytes or a bool")
        }
        self.x = x
        self.y = y
    }

    /// Reads a COSE_Key map, strictly: exactly `{1: 2, -1: 1, -2: x, -3: y}`.
    ///
    /// Any other label (a `kid`, `alg`, a private `d`) or another key type or
    /// curve is malformed: a code must say exactly which key holds it, and a
    /// private key never belongs in a code.
    /// - Throws: ``FormatError`` `.malformed` naming the label that is wrong.
    public init(cbor item: CBOR) throws(FormatError) {
        guard case .map(let pairs) = item else { throw .malformed("COSE_Key must be a map") }
        var kty: CBOR?, crv: CBOR?, x: CBOR?, y: CBOR?
        for pair in pairs {
            switch pair.key.int64 {
            case Label.kty?: kty = pair.value
            case Label.crv?: crv = pair.value
            case Label.x?: x = pair.value
            case Label.y?: y = pair.value
            default: throw .malformed("COSE_Key label \(pair.key.diagnostic) is not allowed")
            }
        }
        guard kty == Label.ec2 else { throw .malformed("COSE_Key kty must be 2 (EC2)") }
        guard crv == Label.p256 else { throw .malformed("COSE_Key crv must be 1 (P-256)") }
        guard case .bytes(let xBytes)? = x else { throw .malformed("COSE_Key x must be a byte string") }
        let yValue: YCoordinate
        switch y {
        case .bool(let bit)?: yValue = .signBit(bit)
        case .bytes(let bytes)?: yValue = .bytes(bytes)
        case nil: throw .malformed("COSE_Key y is missing")
        default: throw .malformed("COSE_Key y must be a bool or a byte string")
        }
        try self.init(x: xBytes, y: yValue)
    }

    /// The COSE_Key map, written deterministically (labels 1, -1, -2, -3).
    public func cbor() -> CBOR {
        let yItem: CBOR
        switch y {
        case .signBit(let bit): yItem = .bool(bit)
        case .bytes(let bytes): yItem = .bytes(bytes)
        }
        return .map([CBOR.Pair(.int(Label.kty), Label.ec2), CBOR.Pair(.int(Label.crv), Label.p256),
                     CBOR.Pair(.int(Label.x), .bytes(x)), CBOR.Pair(.int(Label.y), yItem)])
    }

    // MARK: - cnf

    /// Label of the COSE_Key inside `cnf` (RFC 8747 §3.1).
    static let confirmationKeyLabel: CBOR = 1

    /// Reads a `cnf` claim value: `{1: COSE_Key}` and nothing else.
    ///
    /// The other confirmation methods of RFC 8747 (an encrypted key, a key
    /// id) are malformed: a terminal offline has no way to resolve them.
    /// - Throws: ``FormatError`` `.malformed`.
    public init(confirmation item: CBOR) throws(FormatError) {
        guard case .map(let pairs) = item else { throw .malformed("claim cnf must be a map") }
        guard pairs.count == 1, pairs[0].key == Self.confirmationKeyLabel else {
            throw .malformed("claim cnf must be {1: COSE_Key}")
        }
        try self.init(cbor: pairs[0].value)
    }

    /// The `cnf` claim value `{1: COSE_Key}`.
    public func confirmation() -> CBOR {
        .map([CBOR.Pair(Self.confirmationKeyLabel, cbor())])
    }
}
