import Foundation
import VouchCore
import VouchLog

extension Array where Element == UInt8 {
    init(hex: String) {
        guard let bytes = [UInt8](hexString: hex) else { fatalError("bad hex in test: \(hex)") }
        self = bytes
    }
}

/// A seeded generator so that every "random" test is reproducible.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

enum TestData {
    /// `count` distinct leaf hashes, reproducible from `seed`.
    static func leafHashes(_ count: Int, seed: UInt64 = 1) -> [[UInt8]] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            MerkleHash.leaf((0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
    }

    /// Splits `total` into random batch sizes (some of them 0).
    static func batches(_ total: Int, seed: UInt64, maximum: Int = 300) -> [Int] {
        var rng = SplitMix64(seed: seed)
        var sizes: [Int] = []
        var left = total
        while left > 0 {
            let next = Int.random(in: 0...min(left, maximum), using: &rng)
            sizes.append(next)
            left -= next
        }
        return sizes
    }

    /// Tile storage built by appending `leaves` in the given batches.
    static func incrementalStorage(_ leaves: [[UInt8]], batches: [Int]) throws -> MemoryTileStorage {
        var storage = MemoryTileStorage()
        var start = 0
        for size in batches {
            try storage.append(leafHashes: Array(leaves[start..<start + size]))
            start += size
        }
        return storage
    }
}

/// RFC 9162 §2.1 computed naively from the definitions over all leaves:
/// the "full recomputation" the tile algorithms must agree with.
enum ReferenceTree {
    static func mth(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        switch leaves.count {
        case 0: return MerkleHash.emptyRoot
        case 1: return leaves[leaves.startIndex]
        default:
            let k = split(leaves.count)
            let mid = leaves.startIndex + k
            return MerkleHash.node(mth(leaves[..<mid]), mth(leaves[mid...]))
        }
    }

    static func path(_ m: Int, _ leaves: ArraySlice<[UInt8]>) -> [[UInt8]] {
        if leaves.count <= 1 { return [] }
        let k = split(leaves.count)
        let mid = leaves.startIndex + k
        if m < k {
            return path(m, leaves[..<mid]) + [mth(leaves[mid...])]
        }
        return path(m - k, leaves[mid...]) + [mth(leaves[..<mid])]
    }

    static func subproof(_ m: Int, _ leaves: ArraySlice<[UInt8]>, _ complete: Bool) -> [[UInt8]] {
        if m == leaves.count { return complete ? [] : [mth(leaves)] }
        let k = split(leaves.count)
        let mid = leaves.startIndex + k
        if m <= k {
            return subproof(m, leaves[..<mid], complete) + [mth(leaves[mid...])]
        }
        return subproof(m - k, leaves[mid...], false) + [mth(leaves[..<mid])]
    }

    static func consistency(_ m: Int, _ n: Int, _ leaves: [[UInt8]]) -> [[UInt8]] {
        if m == 0 || m == n { return [] }
        return subproof(m, leaves[..<n], true)
    }

    private static func split(_ n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }
}

/// Runs the Python helpers in `Python/` with the project venv's interpreter.
enum PythonHelper {
    /// This test target's folder, found from this file's path.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// The package root.
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    struct Result {
        let status: Int32
        let stdout: Data
        let stderr: String
    }

    static var python: URL {
        get throws {
            let url = packageRoot.appendingPathComponent(".venv/bin/python")
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw Missing(description: "no \(url.path): run make test (it creates .venv from requirements-test.txt)")
            }
            return url
        }
    }

    static func script(_ name: String) -> URL {
        testsDirectory.appendingPathComponent("Python").appendingPathComponent(name)
    }

    /// Runs `Python/<script>` with `arguments`, feeding `input` on stdin.
    static func run(_ scriptName: String, _ arguments: [String], input: Data = Data()) throws -> Result {
        let process = Process()
        process.executableURL = try python
        process.arguments = [script(scriptName).path] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Write and read concurrently so that large payloads cannot deadlock on full pipes.
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errors = ErrorReader(stderr.fileHandleForReading)
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: out, stderr: errors.finish())
    }

    /// Drains a pipe on its own thread.
    private final class ErrorReader: @unchecked Sendable {
        // Written once by the reading thread, read after `done` is signalled.
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread {
                self.data = handle.readDataToEndOfFile()
                self.done.signal()
            }.start()
        }

        func finish() -> String {
            done.wait()
            return String(decoding: data, as: UTF8.self)
        }
    }

    static func json(_ data: Data) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Missing(description: "python did not print a JSON object")
        }
        return object
    }
}

/// Counts tile reads, to check that algorithms touch O(log n) tiles.
final class CountingStorage: TileStorage, @unchecked Sendable {
    // Tests use one instance from one task; the lock-free counter is fine there.
    let base: MemoryTileStorage
    private(set) var reads: [String] = []

    init(_ base: MemoryTileStorage) {
        self.base = base
    }

    func readTile(level: Int, index: Int) throws -> [[UInt8]]? {
        reads.append("\(level)/\(index)")
        return base.readTile(level: level, index: index)
    }
}

/// The published Certificate Transparency vectors, in `Python/ct_vectors.json`
/// so that the Python implementation checks itself against the same file.
struct CTVectors {
    struct Proof {
        let first: Int
        let second: Int
        let proof: [[UInt8]]
    }

    let entries: [[UInt8]]
    let leafHashes: [[UInt8]]
    let roots: [[UInt8]]
    /// (index, size, proof)
    let inclusion: [Proof]
    /// (from, to, proof)
    let consistency: [Proof]

    static func load() throws -> CTVectors {
        let data = try Data(contentsOf: PythonHelper.script("ct_vectors.json"))
        let json = try PythonHelper.json(data)
        func hexList(_ key: String, in object: [String: Any]) -> [[UInt8]] {
            (object[key] as? [String] ?? []).map { [UInt8](hex: $0) }
        }
        func proofs(_ key: String, _ a: String, _ b: String) -> [Proof] {
            (json[key] as? [[String: Any]] ?? []).map {
                Proof(first: $0[a] as? Int ?? -1, second: $0[b] as? Int ?? -1, proof: hexList("proof", in: $0))
            }
        }
        return CTVectors(
            entries: hexList("entries", in: json), leafHashes: hexList("leafHashes", in: json),
            roots: hexList("roots", in: json), inclusion: proofs("inclusion", "index", "size"),
            consistency: proofs("consistency", "from", "to"))
    }
}
