public import Foundation

/// Wallet issuance: every code a wallet gets is committed and logged like any
/// other, in one job with the wallet change it belongs to (all or nothing).
extension IssuanceWriter {
    /// Uses up an offer, creates the wallet and records its first codes, durably and logged.
    ///
    /// - Returns: The committed codes, in the order given.
    /// - Throws: `StoreError.notFound` (no such offer), `.invalidTransition`
    ///   (redeemed already), `.expired`, `.duplicate` (a key in use); nothing is then written.
    public func redeem(_ opening: WalletOpening, codes: [WalletCode]) async throws -> [CommittedAttestation] {
        let operations = [Operation.openWallet(opening)] + codes.map { .walletCode($0, wallet: opening.walletID) }
        return try await submit(operations).walletCodes()
    }

    /// Counts a checked refresh request (its nonce used once) and records its codes.
    ///
    /// - Throws: `StoreError.notFound`, `.invalidTransition` (wallet revoked),
    ///   `.duplicate` (nonce seen or key in use); nothing is then written.
    public func refresh(_ refresh: WalletRefresh, codes: [WalletCode]) async throws -> [CommittedAttestation] {
        let operations = [Operation.refreshWallet(refresh)] + codes.map { .walletCode($0, wallet: refresh.walletID) }
        return try await submit(operations).walletCodes()
    }

    /// Revokes a wallet and every outstanding code of it, each revocation logged.
    ///
    /// Calling it again revokes codes issued since (none, as a revoked wallet
    /// is not refreshed) and reports `wasRevoked`.
    ///
    /// - Throws: `StoreError.notFound` if no wallet has that id.
    public func revokeWallet(id: String, time: Date = Date()) async throws -> WalletRevocation {
        try await submit([.revokeWallet(id: id, time: time)]).walletRevocation()
    }
}
