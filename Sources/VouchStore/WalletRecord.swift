public import Foundation

/// A holder's wallet as the issuer keeps it (service.md "Holder wallet").
///
/// The wallet's own public key (refresh requests are signed by it), the claims
/// its codes carry, counters, and — through ``WalletStore/codes(wallet:)`` —
/// the status slots of its codes. Never a name, a birth date or a document number.
public struct WalletRecord: Sendable, Hashable {
    /// 32 lower-case hex digits.
    public let id: String
    /// The wallet key, a 65-byte uncompressed P-256 point.
    public let publicKey: [UInt8]
    public let kind: Offer.Kind
    public let ageOver: [Int]
    public let concession: String?
    public let validUntil: String?
    /// The batch size of the offer it was redeemed from: the most codes one refresh may ask for.
    public let batchSize: Int
    public let createdAt: Date
    /// Codes issued to it, at redemption and by every refresh.
    public let issuedCount: Int
    public let refreshCount: Int
    public let lastRefreshAt: Date?
    /// When its refresh allowance is whole again (``RefreshLimit``), Unix seconds; `nil` before its first refresh.
    public let refreshFullAt: Int64?
    /// When it was revoked (lost phone); a revoked wallet is never refreshed.
    public let revokedAt: Date?

    public var isRevoked: Bool { revokedAt != nil }
}

/// What redeeming an offer creates: the first transaction of a wallet.
public struct WalletOpening: Sendable, Hashable {
    public var walletID: String
    public var publicKey: [UInt8]
    /// The offer being used up, found by its secret's hash.
    public var offerID: String
    public var offerSecretHash: [UInt8]
    public var time: Date

    public init(walletID: String, publicKey: [UInt8], offerID: String, offerSecretHash: [UInt8], time: Date) {
        self.walletID = walletID
        self.publicKey = publicKey
        self.offerID = offerID
        self.offerSecretHash = offerSecretHash
        self.time = time
    }
}

/// A signed refresh request, once its signature has been checked.
public struct WalletRefresh: Sendable, Hashable {
    public var walletID: String
    /// SHA-256 of the request's nonce: a nonce is accepted once per wallet.
    public var nonceHash: [UInt8]
    public var time: Date
    /// The allowance it is counted against, in the same transaction as its codes.
    public var limit: RefreshLimit

    public init(walletID: String, nonceHash: [UInt8], time: Date, limit: RefreshLimit = .standard) {
        self.walletID = walletID
        self.nonceHash = nonceHash
        self.time = time
        self.limit = limit
    }

    /// How long a nonce is remembered; requests must be within ±300 s, so this covers the window twice.
    public static let nonceMemory: TimeInterval = 600
}

/// A code issued to a wallet: the attestation record and the hash of its holder key.
public struct WalletCode: Sendable, Hashable {
    public var attestation: PendingAttestation
    /// SHA-256 of the holder key's uncompressed point; unique across all codes.
    public var holderKeyHash: [UInt8]

    public init(attestation: PendingAttestation, holderKeyHash: [UInt8]) {
        self.attestation = attestation
        self.holderKeyHash = holderKeyHash
    }
}

/// What revoking a wallet did.
public struct WalletRevocation: Sendable, Hashable {
    public let walletID: String
    /// Whether the wallet was already revoked before this call.
    public let wasRevoked: Bool
    /// One state change per outstanding code (each logged as `revoked`).
    public let changes: [StateChange]
}
