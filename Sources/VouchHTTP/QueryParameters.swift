public import Hummingbird

/// Integer query parameters, read strictly: 400 for what is not a number,
/// 422 (from the caller's range checks) for numbers out of range.
package struct QueryParameters {
    package let parameters: [String: [String]]

    package init(_ request: Request) {
        var parameters: [String: [String]] = [:]
        for (name, value) in request.uri.queryParameters {
            parameters[String(name), default: []].append(String(value))
        }
        self.parameters = parameters
    }

    package func required(_ name: String) throws -> Int {
        guard let value = try optional(name) else {
            throw Problem.badRequest("the query parameter \(name) is required", field: name)
        }
        return value
    }

    /// A decimal integer (an optional `-` then digits), or `nil` when absent.
    ///
    /// Integers beyond 18 digits are refused as out of range (422): every
    /// index or size of a real log is far smaller, and the range checks of
    /// the callers can then add to a value without overflow.
    package func optional(_ name: String) throws -> Int? {
        guard let values = parameters[name] else { return nil }
        guard values.count == 1, let text = values.first else {
            throw Problem.badRequest("give the query parameter \(name) once", field: name)
        }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard (1...64).contains(digits.utf8.count), digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw Problem.badRequest("the query parameter \(name) must be a decimal integer", field: name)
        }
        guard digits.utf8.count <= 18, let value = Int(text) else {
            throw Problem.invalidField(name, "out of range")
        }
        return value
    }
}
