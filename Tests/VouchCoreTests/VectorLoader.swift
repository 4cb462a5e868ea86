import Foundation
import VouchCore

/// Reads the JSON vector files copied under `Vectors/`.
enum VectorLoader {
    static func url(_ name: String) throws -> URL {
        guard let base = Bundle.module.resourceURL else { throw VectorError.missing(name) }
        let url = base.appendingPathComponent("Vectors").appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { throw VectorError.missing(name) }
        return url
    }

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url(name)), options: [.fragmentsAllowed])
    }

    static func files(in folder: String) throws -> [String] {
        let dir = try url(folder)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
            .map { folder + "/" + $0 }
    }

    enum VectorError: Error { case missing(String) }
}

extension Array where Element == UInt8 {
    init(hex: String) {
        guard let bytes = [UInt8](hexString: hex) else { fatalError("bad hex in test: \(hex)") }
        self = bytes
    }
}
