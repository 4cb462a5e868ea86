import Foundation
import VouchCrypto

/// One staff account as `staff.json` keeps it: id, salt, iterations and the
/// PBKDF2-HMAC-SHA256 of the PIN (base64), and its run of failed tries.
struct StaffRecord: Sendable, Equatable {
    let id: String
    let salt: [UInt8]
    let iterations: Int
    let hash: [UInt8]
    var failures = 0
    var lockedUntil: Date?

    static let maximumFileSize = 1 << 20
    static let maximumAccounts = 1000

    static func make(id: String, pin: String, iterations: Int) throws -> StaffRecord {
        let salt = try SecureRandom.bytes(count: 16)
        let hash = try PBKDF2.hmacSHA256(password: Array(pin.utf8), salt: salt, iterations: iterations)
        return StaffRecord(id: id, salt: salt, iterations: iterations, hash: hash)
    }

    func matches(pin: String) -> Bool {
        guard let derived = try? PBKDF2.hmacSHA256(password: Array(pin.utf8), salt: salt, iterations: iterations,
                                                  length: hash.count)
        else { return false }
        return constantTimeEquals(derived, hash)
    }

    /// The cost of a real check, for an id that does not exist.
    static func decoyCheck(pin: String) -> Bool {
        _ = try? PBKDF2.hmacSHA256(password: Array(pin.utf8), salt: Array("vouch-decoy".utf8),
                                   iterations: PBKDF2.recommendedIterations)
        return false
    }

    mutating func clearFailures() {
        failures = 0
        lockedUntil = nil
    }

    mutating func recordFailure(at now: Date, lockout: (Int) -> TimeInterval?) {
        failures += 1
        lockedUntil = lockout(failures).map { now.addingTimeInterval($0) }
    }

    // MARK: Form

    /// 1 to 32 of `a-z 0-9 . _ -`, starting with a letter or digit: safe in a CSV cell and a log line.
    static func validate(id: String) throws {
        let bytes = Array(id.utf8)
        let allowed = { (b: UInt8) in (0x61...0x7a).contains(b) || (0x30...0x39).contains(b) || b == 0x2e || b == 0x5f || b == 0x2d }
        guard (1...32).contains(bytes.count), bytes.allSatisfy(allowed), let first = bytes.first,
              (0x61...0x7a).contains(first) || (0x30...0x39).contains(first)
        else { throw StaffError(.invalidID, "a staff id is 1 to 32 of a-z 0-9 . _ - (lower case), starting with a letter or digit") }
    }

    /// 4 to 12 digits.
    static func validate(pin: String) throws {
        let bytes = Array(pin.utf8)
        guard (4...12).contains(bytes.count), bytes.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw StaffError(.invalidPIN, "a PIN is 4 to 12 digits")
        }
    }

    // MARK: File

    static func read(_ file: URL) throws -> [String: StaffRecord] {
        let bytes: [UInt8]?
        do {
            bytes = try DurableFile.read(file, limit: maximumFileSize)
        } catch {
            throw StaffError(.io, "\(error)")
        }
        guard let bytes else { return [:] }
        func corrupt(_ why: String) -> StaffError { StaffError(.corrupt, "\(file.path): \(why)") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              object["version"] as? Int == 1, let list = object["staff"] as? [[String: Any]],
              list.count <= maximumAccounts
        else { throw corrupt("not a version 1 staff file") }
        var records: [String: StaffRecord] = [:]
        for item in list {
            guard let id = item["id"] as? String, (try? validate(id: id)) != nil, records[id] == nil,
                  let salt = (item["salt"] as? String).flatMap({ Data(base64Encoded: $0) }), !salt.isEmpty,
                  let hash = (item["hash"] as? String).flatMap({ Data(base64Encoded: $0) }), hash.count == 32,
                  let iterations = item["iterations"] as? Int,
                  (PBKDF2.minimumIterations...PBKDF2.maximumIterations).contains(iterations),
                  let failures = item["failures"] as? Int, failures >= 0
            else { throw corrupt("an account entry is malformed") }
            var record = StaffRecord(id: id, salt: [UInt8](salt), iterations: iterations, hash: [UInt8](hash))
            record.failures = failures
            if let until = item["locked_until"] as? Double { record.lockedUntil = Date(timeIntervalSince1970: until) }
            records[id] = record
        }
        return records
    }

    static func encode(_ records: [String: StaffRecord]) -> [UInt8] {
        let list: [[String: Any]] = records.keys.sorted().compactMap { records[$0] }.map { record in
            var item: [String: Any] = [
                "id": record.id, "salt": Data(record.salt).base64EncodedString(), "iterations": record.iterations,
                "hash": Data(record.hash).base64EncodedString(), "failures": record.failures,
            ]
            if let until = record.lockedUntil { item["locked_until"] = until.timeIntervalSince1970.rounded(.up) }
            return item
        }
        let data = (try? JSONSerialization.data(withJSONObject: ["version": 1, "staff": list],
                                                options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return [UInt8](data) + [0x0a]
    }
}
