public import Foundation
public import VouchCore

/// Holder-bound codes for wallets (format.md §6): one code per holder key,
/// the key written as `cnf` so that only the phone holding it can present the code.
extension Issuer {
    /// What a wallet code says: one age threshold, or one concession until its end.
    public enum WalletClaim: Sendable, Hashable {
        case ageOver(Int)
        case concession(String, expiresAt: UInt64)
    }

    /// Signs one holder-bound code.
    ///
    /// - Parameters:
    ///   - claim: The threshold or concession; the caller took it from a stored offer or wallet.
    ///   - holderKey: The holder's P-256 public key, the 65-byte uncompressed point.
    ///   - status: Reserves the code's status slot.
    /// - Throws: ``IssuanceError`` naming `keys` for a point of the wrong shape, `.signing` otherwise.
    public func issueBound(_ claim: WalletClaim, holderKey: [UInt8], now: Date,
                           status: (() throws -> StatusReference?)? = nil) throws -> IssuedAttestation {
        guard holderKey.count == 65, holderKey[0] == 0x04 else {
            throw IssuanceError.invalid("keys", "a holder key must be a 65-byte uncompressed P-256 point")
        }
        let issuedAt = Self.roundedDownToHour(now)
        let confirmation = Self.confirmation(point: holderKey)
        switch claim {
        case .ageOver(let threshold):
            guard Claims.ageThresholdRange.contains(threshold) else {
                throw IssuanceError.invalid("thresholds", "ages must be between 1 and 150")
            }
            return try sign(Claims(issuer: configuration.issuer,
                                   expiresAt: issuedAt + UInt64(configuration.ageValidity), issuedAt: issuedAt,
                                   tokenID: try Self.newTokenID(), type: .age, ageOver: [threshold],
                                   status: try status?(), confirmation: confirmation))
        case .concession(let code, let expiresAt):
            guard configuration.concessionCodes.contains(code) else {
                throw IssuanceError.invalid("concession", "is not a configured concession")
            }
            guard expiresAt > UInt64(max(0, now.timeIntervalSince1970)) else {
                throw IssuanceError.invalid("valid_until", "is in the past")
            }
            return try sign(Claims(issuer: configuration.issuer, expiresAt: expiresAt, issuedAt: issuedAt,
                                   tokenID: try Self.newTokenID(), type: .concession, concession: code,
                                   status: try status?(), confirmation: confirmation))
        }
    }

    /// `cnf` = `{1: COSE_Key}`, COSE_Key `{1: 2, -1: 1, -2: x, -3: sign of y}` (EC2, P-256, compressed y).
    static func confirmation(point: [UInt8]) -> CBOR {
        let x = Array(point[1...32])
        let yIsOdd = point[64] & 1 == 1
        return .map([CBOR.Pair(1, .map([
            CBOR.Pair(1, 2), CBOR.Pair(.negative(0), 1), CBOR.Pair(.negative(1), .bytes(x)),
            CBOR.Pair(.negative(2), .bool(yIsOdd)),
        ]))])
    }
}
