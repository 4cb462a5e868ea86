/// A COSE signature algorithm that Vouch issues and accepts.
///
/// Only ES256 (P-256 with SHA-256) and EdDSA (Ed25519) exist in the wire
/// format (format.md §1); the struct wraps a private enum so that adding an
/// algorithm later is not a breaking change.
public struct SigningAlgorithm: Hashable, Sendable, CustomStringConvertible {
    enum Backing: Hashable, Sendable {
        case es256
        case eddsa
    }

    let backing: Backing

    private init(_ backing: Backing) {
        self.backing = backing
    }

    /// ECDSA over P-256 with SHA-256; COSE algorithm -7.
    public static let es256 = SigningAlgorithm(.es256)
    /// Ed25519; COSE algorithm -8.
    public static let eddsa = SigningAlgorithm(.eddsa)

    /// The COSE algorithm identifier (RFC 9053).
    public var coseValue: Int {
        switch backing {
        case .es256: -7
        case .eddsa: -8
        }
    }

    /// The COSE algorithm name, e.g. `ES256`.
    public var name: String {
        switch backing {
        case .es256: "ES256"
        case .eddsa: "EdDSA"
        }
    }

    /// Creates the algorithm for a COSE identifier.
    ///
    /// - Parameter coseValue: The `alg` header value.
    /// - Returns: `nil` for any value other than -7 or -8.
    public init?(coseValue: Int) {
        switch coseValue {
        case -7: self = .es256
        case -8: self = .eddsa
        default: return nil
        }
    }

    public var description: String { name }

    /// The length of a raw signature (r||s for ES256) in bytes.
    var signatureLength: Int { 64 }
}
