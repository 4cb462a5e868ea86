public import VouchCore

/// What a wallet directory remembers besides keys and codes, in `state.json`.
///
/// Nothing personal: the wallet's id at the issuer, where to refresh, the
/// clock offset learned from the issuer, and the next code file number.
public struct WalletState: Codable, Sendable, Hashable {
    /// Format version of `state.json`.
    public var version: Int = 1
    /// Seconds to add to this device's clock to get the issuer's (`server_time - local time` at the last redeem or refresh).
    public var clockOffset: Int64 = 0
    /// The wallet's id at the issuer, once redeemed.
    public var walletID: String?
    /// The issuer's base URL for refresh, once redeemed.
    public var service: String?
    /// Number of the next code file (`codes/NNNNNN.vch1`).
    public var nextCode: Int = 1

    public init() {}

    enum CodingKeys: String, CodingKey {
        case version, clockOffset = "clock_offset", walletID = "wallet_id", service, nextCode = "next_code"
    }
}

/// One code held in a wallet directory, decoded (its key stays on disk until it signs).
public struct WalletCode: Sendable, Hashable {
    /// The file number, e.g. `000007`.
    public let id: String
    /// The `VCH1:` text as issued.
    public let text: String
    public let attestation: DecodedAttestation

    public var claims: Claims { attestation.claims }
}

/// What `vouch wallet list` shows: counts and claims, never a key.
public struct WalletSummary: Sendable, Hashable {
    /// Codes held, by claim in words ("age_over_18", "concession student", ...), unexpired only.
    public let usable: [String: Int]
    /// Codes whose `exp` has passed (kept until removed; never presented).
    public let expired: Int
    public let clockOffset: Int64
    public let walletID: String?
}

