public import Foundation

/// What an API key may do; the HTTP layer checks one per route.
public enum APIScope: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Issue attestations and render QR codes.
    case issue
    /// Revoke, suspend and reinstate attestations.
    case revoke
    /// Read the audit log entries.
    case audit

    public static func < (lhs: APIScope, rhs: APIScope) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .issue: 0
        case .revoke: 1
        case .audit: 2
        }
    }

    /// The stored form: names in canonical order, comma separated.
    static func encode(_ scopes: Set<APIScope>) -> String {
        scopes.sorted().map(\.rawValue).joined(separator: ",")
    }

    /// Reads the stored form; unknown names grant nothing and are dropped, so a
    /// database written by a newer Vouch cannot widen a key's rights here.
    static func decode(_ text: String) -> Set<APIScope> {
        Set(text.split(separator: ",").compactMap { APIScope(rawValue: String($0)) })
    }
}

/// An API key as stored: everything but its secret, which only the holder has.
public struct APIKey: Sendable, Hashable, Identifiable {
    /// A public identifier (`key_` and 16 hex digits), safe for logs and URLs.
    public let id: String
    /// An operator's label for the key (a system or team name, never a person's).
    public let name: String?
    /// What the key may do.
    public let scopes: Set<APIScope>
    /// When the key was created (whole seconds).
    public let createdAt: Date
    /// When the key was revoked, if it was.
    public let revokedAt: Date?

    /// Whether the key has been revoked; a revoked key never authenticates.
    public var isRevoked: Bool { revokedAt != nil }

    /// Whether the key carries `scope`.
    public func allows(_ scope: APIScope) -> Bool {
        scopes.contains(scope)
    }
}
