import Foundation
public import Hummingbird
public import VouchVerifier

/// Small JSON helpers: deterministic output, strict field reading with errors that name the field.
package enum JSON {
    package static func encode(_ object: Any) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return [UInt8](data)
    }

    /// A response from a LogicValue: compact JSON with sorted keys, without Foundation's serializer.
    package static func response(_ value: LogicValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: value.jsonBytes())))
    }

    package static func response(_ object: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: encode(object))))
    }
}

/// A JSON object request body, read strictly.
///
/// Parsed by VouchVerifier's strict JSON parser (duplicate keys, bad UTF-8
/// and trailing data are refused). Unknown fields are refused (a typo must not
/// be ignored), and every accessor throws a ``Problem`` naming the field that
/// is missing or of the wrong type.
package struct JSONBody {
    package let object: [String: LogicValue]

    /// Reads and parses the body: `application/json`, at most `limit` bytes, an object, only `allowed` keys.
    package static func read(_ request: Request, limit: Int, allowed: Set<String>) async throws -> JSONBody {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            throw Problem.unsupportedMediaType("send Content-Type: application/json")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw Problem.tooLarge(limit)
        }
        let value: LogicValue
        do {
            value = try LogicValue(json: Array(buffer.readableBytesView))
        } catch {
            throw Problem.badRequest("the body is not valid JSON")
        }
        guard case .object(let dictionary) = value else { throw Problem.badRequest("the body must be a JSON object") }
        if let unknown = dictionary.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw Problem.badRequest("unknown field \"\(unknown)\"; allowed: \(allowed.sorted().joined(separator: ", "))",
                                     field: unknown)
        }
        return JSONBody(object: dictionary)
    }

    /// The field's value if it is present. An explicit `null` is present: it is refused by the accessor
    /// as not of the field's type (the OpenAPI schema types no field as nullable), never read as absent.
    private func value(_ key: String) -> LogicValue? { object[key] }

    package func has(_ key: String) -> Bool { value(key) != nil }

    package func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw Problem.invalidField(key, "is required") }
        return value
    }

    package func optionalString(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let string) = value else { throw Problem.invalidField(key, "must be a string") }
        return string
    }

    package func optionalInt(_ key: String, range: ClosedRange<Int>) throws -> Int? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value, let int = Int(exactly: number), range.contains(int) else {
            throw Problem.invalidField(key, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return int
    }

    package func optionalBool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let bool) = value else { throw Problem.invalidField(key, "must be true or false") }
        return bool
    }

    package func optionalIntArray(_ key: String, range: ClosedRange<Int>, maxCount: Int) throws -> [Int]? {
        guard let value = value(key) else { return nil }
        guard case .array(let list) = value, !list.isEmpty, list.count <= maxCount else {
            throw Problem.invalidField(key, "must be a list of 1 to \(maxCount) integers")
        }
        return try list.map { item in
            guard case .number(let number) = item, let int = Int(exactly: number), range.contains(int) else {
                throw Problem.invalidField(key, "must hold integers from \(range.lowerBound) to \(range.upperBound)")
            }
            return int
        }
    }
}
