/// One problem in one policy file, naming the file and the field.
///
/// The description reads
/// `Policies/alcohol-uk.json: field "max_token_age": must be a non-negative integer or null, got -5`.
/// Equality compares the code only.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable kind of problem.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case unreadable
            case noPolicies = "no_policies"
            case invalidJSON = "invalid_json"
            case unknownField = "unknown_field"
            case missingField = "missing_field"
            case wrongType = "wrong_type"
            case invalidValue = "invalid_value"
            case idMismatch = "id_mismatch"
            case duplicateID = "duplicate_id"
            case invalidRule = "invalid_rule"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The directory or file could not be read, or the file is too large.
        public static let unreadable = Code(.unreadable)
        /// The directory holds no `*.json` file.
        public static let noPolicies = Code(.noPolicies)
        /// The file is not strict JSON (see ``LogicValue/init(json:)-([UInt8])``).
        public static let invalidJSON = Code(.invalidJSON)
        /// A field the schema does not have (a typo must not weaken a policy).
        public static let unknownField = Code(.unknownField)
        /// A field the schema requires is absent.
        public static let missingField = Code(.missingField)
        /// A field has the wrong JSON type.
        public static let wrongType = Code(.wrongType)
        /// A field has the right type but an impossible or unknown value.
        public static let invalidValue = Code(.invalidValue)
        /// `id` is not the file name without `.json`.
        public static let idMismatch = Code(.idMismatch)
        /// Another file already defines this `id`.
        public static let duplicateID = Code(.duplicateID)
        /// `rule` is not a valid JSON-Logic rule; the message says where.
        public static let invalidRule = Code(.invalidRule)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The file as the user named it, e.g. `Policies/alcohol-uk.json`.
    public let file: String
    /// The field, dotted for nested ones (`require.age_over`); `nil` for the whole file.
    public let field: String?
    public let message: String
    /// Where in Vouch the error was raised, for debugging.
    public let sourceLocation: String

    public init(
        _ code: Code, file: String, field: String?, _ message: String, fileID: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.file = file
        self.field = field
        self.message = message
        self.sourceLocation = "\(fileID):\(line)"
    }

    public var description: String {
        if let field { return "\(file): field \"\(field)\": \(message)" }
        return "\(file): \(message)"
    }

    public static func == (lhs: PolicyError, rhs: PolicyError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

/// Every problem found in a policy directory, so that lint shows them all at once.
public struct PolicyLintError: Error, Sendable, CustomStringConvertible {
    /// In file order, then field order within a file.
    public let errors: [PolicyError]

    public init(errors: [PolicyError]) { self.errors = errors }

    /// One line per error.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
