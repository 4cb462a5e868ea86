/// The texts a holder wallet signs with its wallet key when it talks to the
/// issuer (`POST /v1/wallet/redeem`, `POST /v1/wallet/refresh`).
///
/// Every field is signed exactly as it is sent — the base64url strings, the
/// decimal time — so both sides build the same bytes without re-encoding, and
/// each line names what it is for, so a redeem proof can never pass as a
/// refresh. The signature is ES256 (r||s, 64 bytes), what WebCrypto's ECDSA
/// returns.
public enum WalletMessages {
    /// `"vouch wallet redeem v1\n" offer "\n" wallet_key "\n" key_1 "\n" ... key_n "\n"`.
    public static func redeem(offer: String, walletKey: String, keys: [String]) -> [UInt8] {
        Array(("vouch wallet redeem v1\n" + offer + "\n" + walletKey + "\n"
               + keys.map { $0 + "\n" }.joined()).utf8)
    }

    /// `"vouch wallet refresh v1\n" wallet_id "\n" time "\n" nonce "\n" key_1 "\n" ... key_n "\n"`.
    public static func refresh(walletID: String, time: UInt64, nonce: String, keys: [String]) -> [UInt8] {
        Array(("vouch wallet refresh v1\n" + walletID + "\n" + String(time) + "\n" + nonce + "\n"
               + keys.map { $0 + "\n" }.joined()).utf8)
    }
}

/// RFC 4648 §5 base64url without padding, strict on read: only the alphabet,
/// no padding, and unused trailing bits zero, so one value has one spelling.
public enum Base64URLText {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int(n >> UInt32(shift) & 63)]) }
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            if rest == 2 { out.append(alphabet[Int(n >> 6 & 63)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// - Returns: The bytes, or `nil` for any character outside the alphabet, padding, or a non-canonical tail.
    public static func decode(_ text: String, maximumLength: Int = 4096) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count <= maximumLength, chars.count % 4 != 1 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count * 3 / 4)
        var buffer: UInt32 = 0, bits = 0
        for c in chars {
            let v = values[Int(c)]
            guard v >= 0 else { return nil }
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(buffer >> UInt32(bits) & 0xff))
            }
        }
        guard buffer & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        return out
    }
}
