/// The `vct` claim: what an attestation is about.
public struct AttestationType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// "over NN: yes" and nothing else.
    public static let age = AttestationType(rawValue: "age")
    /// One status (student, senior, ...) and nothing personal.
    public static let concession = AttestationType(rawValue: "concession")
    /// Name and birth date, for account opening and the like.
    public static let identity = AttestationType(rawValue: "identity")

    /// The types of format.md §1.
    public static let known: [AttestationType] = [.age, .concession, .identity]

    public var description: String { rawValue }
}

/// A Token Status List reference, the CWT `status` claim (65535).
public struct StatusReference: Hashable, Sendable {
    public var index: UInt64
    public var uri: String

    public init(index: UInt64, uri: String) {
        self.index = index
        self.uri = uri
    }
}

/// The personal attributes of an identity attestation.
public struct IdentityAttributes: Hashable, Sendable {
    public var givenName: String
    public var familyName: String
    /// Full date `YYYY-MM-DD`.
    public var birthDate: String
    /// ISO 3166-1 alpha-2.
    public var nationality: String?
    public var documentNumber: String?

    public init(givenName: String, familyName: String, birthDate: String, nationality: String? = nil,
                documentNumber: String? = nil) {
        self.givenName = givenName
        self.familyName = familyName
        self.birthDate = birthDate
        self.nationality = nationality
        self.documentNumber = documentNumber
    }
}
