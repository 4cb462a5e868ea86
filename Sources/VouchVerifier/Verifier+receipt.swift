import VouchCore
import VouchCrypto

extension Verifier {
    /// The receipt check of format.md §3 and §7, run right after the issuer's signature.
    ///
    /// A receipt proves the code's entry is in the audit log: it must verify
    /// under one of the trust store's receipt keys, for this code's token hash
    /// (SHA-256 of the code with an empty unprotected map, what was logged).
    /// A receipt that is present is always checked, even when the policy
    /// makes it optional: a forged receipt is never ignored.
    ///
    /// - Returns: `no_log_receipt` or `bad_log_receipt`, or `nil` when the check passes.
    static func receiptFailure(_ decoded: DecodedAttestation, policy: Policy,
                               receiptKeys: [ReceiptKey]) -> Decision.Reason? {
        guard let receipt = decoded.receipt else {
            return policy.logReceipt == .required ? .noLogReceipt : nil
        }
        let tokenHash = Digest.sha256(decoded.sign1.loggedBytes)
        return receiptKeys.contains { $0.isValid(receipt, tokenHash: tokenHash) } ? nil : .badLogReceipt
    }
}
