public import VouchCore

/// Checks the attributes of an identity attestation before signing.
public enum IdentityValidation {
    /// Longest name, in characters (Unicode code points, as OpenAPI's maxLength counts them); at most
    /// 400 bytes of UTF-8 each, which keeps the largest code inside a QR code.
    public static let maximumNameLength = 100
    public static let maximumDocumentNumberLength = 40

    /// - Throws: ``IssuanceError`` naming the first field that is wrong.
    public static func validate(_ attributes: IdentityAttributes, today: CalendarDate) throws {
        try checkName(attributes.givenName, field: "given_name")
        try checkName(attributes.familyName, field: "family_name")
        guard let birth = CalendarDate(attributes.birthDate) else {
            throw IssuanceError.invalid("birth_date", "must be a real date written YYYY-MM-DD")
        }
        guard birth <= today else { throw IssuanceError.invalid("birth_date", "is in the future") }
        guard birth.year >= 1880 else { throw IssuanceError.invalid("birth_date", "is before 1880") }
        if let nationality = attributes.nationality {
            guard CountryCodes.assigned.contains(nationality) else {
                throw IssuanceError.invalid("nationality", "must be an ISO 3166-1 alpha-2 code such as GB")
            }
        }
        if let number = attributes.documentNumber {
            guard !number.isEmpty, number.count <= maximumDocumentNumberLength,
                  number.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "<") })
            else {
                throw IssuanceError.invalid("document_number",
                                            "must be 1 to \(maximumDocumentNumberLength) letters, digits, '-' or '<'")
            }
        }
    }

    static func checkName(_ name: String, field: String) throws {
        guard !name.trimmingWhitespace.isEmpty else { throw IssuanceError.invalid(field, "must not be empty") }
        guard name.unicodeScalars.count <= maximumNameLength else {
            throw IssuanceError.invalid(field, "must be at most \(maximumNameLength) characters")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control
            || $0.properties.generalCategory == .format && $0 != "\u{200D}" })
        else { throw IssuanceError.invalid(field, "must not contain control characters") }
        guard name == name.trimmingWhitespace else {
            throw IssuanceError.invalid(field, "must not start or end with white space")
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
