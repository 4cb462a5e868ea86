public import Foundation
public import VouchCore

/// What a status list says about one attestation.
public enum StatusLookup: Sendable, Hashable {
    case valid
    case revoked
    case suspended
    /// No list fresh enough (fetched within `maximumAge`), or it could not be read.
    case unavailable
}

/// Where the verifier learns whether a code was revoked, without contacting
/// anyone per scan: implementations answer from lists they already hold.
public protocol StatusSource: Sendable {
    /// - Parameters:
    ///   - reference: the token's `status` claim.
    ///   - now: the verification time.
    ///   - maximumAge: how old (since fetch) a list may be to count.
    func status(of reference: StatusReference, now: Date, maximumAge: TimeInterval) -> StatusLookup
}

/// A source with no lists at all: every lookup is `unavailable`.
///
/// The default until a status-list cache is configured, so that a policy
/// with `"status": "required"` rejects (`status_unavailable`) rather than
/// silently accepting.
public struct NoStatusSource: StatusSource {
    public init() {}

    public func status(of reference: StatusReference, now: Date, maximumAge: TimeInterval) -> StatusLookup {
        .unavailable
    }
}
