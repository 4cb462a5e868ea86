internal import VouchCore

extension Policy {
    /// The fields of a policy file, in schema order; every one must be present.
    public static let fieldNames = [
        "id", "title", "accept", "require", "max_token_age", "clock_skew", "status", "max_status_age",
        "single_use", "issuers", "disclose", "rule", "log_receipt",
    ]

    /// Fields a policy file may leave out, with their defaults: `holder_binding`
    /// (`"optional"`, what a file written before holder binding meant) and
    /// `presentation_max_age` (60 seconds).
    public static let optionalFieldNames = ["holder_binding", "presentation_max_age"]

    /// Longest accepted `presentation_max_age`: one hour. A longer window
    /// would let a screenshot pass for that long.
    public static let maximumPresentationMaxAge = 3_600

    /// Longest accepted `max_token_age` and `max_status_age`: 100 years.
    public static let maximumDuration = 3_155_760_000
    /// Largest accepted `clock_skew`: one day.
    public static let maximumClockSkew = 86_400

    /// Decodes and checks one policy file.
    ///
    /// - Parameters:
    ///   - bytes: the file's contents.
    ///   - file: the file's path as shown in errors; its last component
    ///     without `.json` must equal the policy's `id`.
    /// - Throws: ``PolicyLintError`` listing every problem in the file.
    public init(json bytes: [UInt8], file: String) throws(PolicyLintError) {
        var decoder = PolicyDecoder(file: file)
        guard let policy = decoder.decode(bytes), decoder.errors.isEmpty else {
            throw PolicyLintError(errors: decoder.errors)
        }
        self = policy
    }
}

/// Reads one policy file, collecting every problem rather than stopping at the first.
struct PolicyDecoder {
    let file: String
    private(set) var errors: [PolicyError] = []
    /// The `id` as written when it is a string, for duplicate detection even
    /// when other fields are wrong.
    var declaredID: String?
    /// The top-level object being read.
    var members: [String: LogicValue] = [:]

    init(file: String) { self.file = file }

    mutating func decode(_ bytes: [UInt8]) -> Policy? {
        let root: LogicValue
        do {
            root = try LogicValue(json: bytes)
        } catch {
            fail(.invalidJSON, nil, error.description)
            return nil
        }
        guard case .object(let members) = root else {
            fail(.wrongType, nil, "a policy must be a JSON object, got \(root.typeName)")
            return nil
        }
        let allFields = Policy.fieldNames + Policy.optionalFieldNames
        for key in members.keys.sorted() where !allFields.contains(key) {
            fail(.unknownField, key, "unknown field" + Self.suggestion(for: key, among: allFields))
        }
        self.members = members
        let id = identifier()
        let title = title()
        let accept = accept()
        let require = requirement(accept: accept)
        let maxTokenAge = duration("max_token_age", in: 0...Policy.maximumDuration)
        let clockSkew = duration("clock_skew", in: 0...Policy.maximumClockSkew, nullable: false)
        let status = status()
        let maxStatusAge = duration("max_status_age", in: 0...Policy.maximumDuration, nullable: false)
        let singleUse = boolean("single_use")
        let issuers = issuers()
        let disclose = disclose()
        let rule = rule()
        let logReceipt = logReceipt()
        let holderBinding = holderBinding()
        let presentationMaxAge = presentationMaxAge()
        guard errors.isEmpty, let holderBinding, let presentationMaxAge, let id, let title, let accept, let require,
            let maxTokenAge, let logReceipt,
            let clockSkew = clockSkew ?? nil, let status, let maxStatusAge = maxStatusAge ?? nil, let singleUse,
            let issuers, let disclose, let rule
        else { return nil }
        return Policy(
            id: id, title: title, accept: accept, require: require, maxTokenAge: maxTokenAge, clockSkew: clockSkew,
            status: status, maxStatusAge: maxStatusAge, singleUse: singleUse, issuers: issuers,
            disclose: disclose ?? [], rule: rule, logReceipt: logReceipt, holderBinding: holderBinding,
            presentationMaxAge: presentationMaxAge)
    }

    mutating func fail(
        _ code: PolicyError.Code, _ field: String?, _ message: String, fileID: String = #fileID, line: Int = #line
    ) {
        errors.append(PolicyError(code, file: file, field: field, message, fileID: fileID, line: line))
    }

    /// ` (did you mean "x"?)` for a close known name, else "".
    static func suggestion(for key: String, among names: [String]) -> String {
        NameSuggestion.didYouMean(key, among: names)
    }
}
