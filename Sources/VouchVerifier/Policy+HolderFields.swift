/// Readers for the holder-binding fields of a policy (format.md §6); both may be left out.
extension PolicyDecoder {
    /// `holder_binding`: `"required"`, `"optional"` or `"ignore"`; absent means `"optional"`.
    mutating func holderBinding() -> Policy.HolderBinding? {
        guard let value = members["holder_binding"] else { return .optional }
        let names = Policy.HolderBinding.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        guard case .string(let name) = value else {
            fail(.wrongType, "holder_binding", "must be one of \(names), got \(value.abbreviated())")
            return nil
        }
        guard let binding = Policy.HolderBinding(rawValue: name) else {
            fail(.invalidValue, "holder_binding", "must be one of \(names), got \(value.abbreviated())")
            return nil
        }
        return binding
    }

    /// `presentation_max_age`: 1 to 3600 seconds; absent means 60.
    mutating func presentationMaxAge() -> Int? {
        guard let value = members["presentation_max_age"] else { return Policy.defaultPresentationMaxAge }
        let limit = Policy.maximumPresentationMaxAge
        let expected = "must be an integer number of seconds from 1 to \(limit)"
        guard let seconds = value.integerValue else {
            fail(.wrongType, "presentation_max_age", "\(expected), got \(value.abbreviated())")
            return nil
        }
        guard (1...limit).contains(seconds) else {
            fail(.invalidValue, "presentation_max_age", "\(expected), got \(value.abbreviated())")
            return nil
        }
        return seconds
    }
}
