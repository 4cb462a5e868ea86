import VouchCore
import VouchCrypto

/// The holder's part of a presentation (format.md §6): signature under `cnf`, then the time window.
extension Verifier {
    /// The first holder check that fails, or `nil` when the presentation is the holder's and fresh.
    ///
    /// A `cnf` whose point is not on the curve can verify nothing, so it is
    /// `bad_holder_signature` like any other signature that does not verify.
    /// The holder key checks this one signature and is gone, so it is not
    /// made into a `PublicKey` (`PublicKey.isValidES256Signature(_:for:coseKey:)`
    /// reuses OpenSSL key objects instead).
    func holderCheck(_ presentation: Presentation, policy: Policy, now: Double) -> Decision.Reason? {
        guard let cose = presentation.credential.claims.holderKey,
              (try? PublicKey.isValidES256Signature(presentation.signature, for: presentation.toBeSigned(),
                                                    coseKey: cose)) == true
        else { return .badHolderSignature }
        let t = Double(presentation.time)
        let skew = Double(policy.clockSkew)
        guard t >= now - Double(policy.presentationMaxAge) - skew, t <= now + skew else {
            return .presentationExpired
        }
        return nil
    }

    /// Seconds after `t` during which a presentation could still pass under any policy this verifier knows.
    ///
    /// A presentation is remembered that long, so that one shown for beer and
    /// then for a lottery ticket with a longer window is still `replayed`.
    func presentationWindow(_ policy: Policy) -> Int {
        let known = policies.all.map { $0.presentationMaxAge + $0.clockSkew }.max() ?? 0
        return max(known, policy.presentationMaxAge + policy.clockSkew)
    }
}
