import Foundation
import Testing

@testable import VouchCrypto

/// Helpers shared by the VouchCrypto test suites.
enum TestSupport {
    /// The URL of a file under the `Vectors` resource directory.
    static func vectorURL(_ relativePath: String) throws -> URL {
        let url = Bundle.module.url(forResource: "Vectors/\(relativePath)", withExtension: nil)
        return try #require(url, "missing test resource Vectors/\(relativePath)")
    }

    static func vectorText(_ relativePath: String) throws -> String {
        try String(contentsOf: vectorURL(relativePath), encoding: .utf8)
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("vouch-crypto-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        return url
    }

    /// Whole-second dates, so comparisons with X.509 times are exact.
    static func date(_ secondsSince1970: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(secondsSince1970))
    }

    static let day: TimeInterval = 86_400
}

extension Array where Element == UInt8 {
    init(hex: String) {
        precondition(hex.count.isMultiple(of: 2), "odd-length hex")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else {
                preconditionFailure("bad hex \(hex[index..<next])")
            }
            bytes.append(byte)
            index = next
        }
        self = bytes
    }

    var hex: String {
        map { String(format: "%02x", $0) }.joined()
    }
}
