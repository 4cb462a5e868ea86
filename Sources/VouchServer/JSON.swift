import Foundation
import Hummingbird

/// Small JSON helpers: deterministic output, strict field reading with errors that name the field.
enum JSON {
    static func encode(_ object: Any) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return [UInt8](data)
    }

    static func response(_ object: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: encode(object))))
    }
}

/// A JSON object request body, read strictly.
///
/// Unknown fields are refused (a typo must not be ignored), and every
/// accessor throws a ``Problem`` naming the field that is missing or of the wrong type.
struct JSONBody {
    let object: [String: Any]

    /// Reads and parses the body: `application/json`, at most `limit` bytes, an object, only `allowed` keys.
    static func read(_ request: Request, limit: Int, allowed: Set<String>) async throws -> JSONBody {
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
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView), options: [])
        } catch {
            throw Problem.badRequest("the body is not valid JSON")
        }
        guard let dictionary = object as? [String: Any] else { throw Problem.badRequest("the body must be a JSON object") }
        if let unknown = dictionary.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw Problem.badRequest("unknown field \"\(unknown)\"; allowed: \(allowed.sorted().joined(separator: ", "))",
                                     field: unknown)
        }
        return JSONBody(object: dictionary)
    }

    func has(_ key: String) -> Bool { object[key] != nil && !(object[key] is NSNull) }

    func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw Problem.invalidField(key, "is required") }
        return value
    }

    func optionalString(_ key: String) throws -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let string = value as? String else { throw Problem.invalidField(key, "must be a string") }
        return string
    }

    func optionalInt(_ key: String, range: ClosedRange<Int>) throws -> Int? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, !number.isBool, number.doubleValue == number.doubleValue.rounded(),
              let int = Int(exactly: number.doubleValue), range.contains(int)
        else { throw Problem.invalidField(key, "must be an integer from \(range.lowerBound) to \(range.upperBound)") }
        return int
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, number.isBool else { throw Problem.invalidField(key, "must be true or false") }
        return number.boolValue
    }

    func optionalIntArray(_ key: String, range: ClosedRange<Int>, maxCount: Int) throws -> [Int]? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let list = value as? [Any], !list.isEmpty, list.count <= maxCount else {
            throw Problem.invalidField(key, "must be a list of 1 to \(maxCount) integers")
        }
        return try list.map { item in
            guard let number = item as? NSNumber, !number.isBool, let int = Int(exactly: number.doubleValue),
                  range.contains(int)
            else { throw Problem.invalidField(key, "must hold integers from \(range.lowerBound) to \(range.upperBound)") }
            return int
        }
    }
}

extension NSNumber {
    /// Whether Foundation parsed this number from `true`/`false` (objCType "c";
    /// JSONSerialization never makes an Int8 number).
    var isBool: Bool { String(cString: objCType) == "c" }
}
