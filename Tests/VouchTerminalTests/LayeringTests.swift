import Foundation
import Testing

/// The terminal links no store and no issuer (service.md: a terminal embeds
/// the verifier alone). Read from the manifest as SwiftPM evaluates it
/// (`swift package dump-package`), so a dependency added by any route,
/// direct or through another target, fails here.
@Suite struct LayeringTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// VouchLog (Merkle proofs, signed notes, cosignatures; no storage) is allowed: a terminal checks the
    /// upstream's witness-cosigned checkpoint against the trust bundle's quorum.
    static let forbidden: Set<String> = ["VouchStore", "VouchIssuer", "VouchQR", "VouchServer", "GRDB"]

    /// Target name -> the names it depends on (targets and products alike).
    static func manifestDependencies() throws -> [String: [String]] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("vouch-dump-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "package", "--package-path", packageRoot.path, "--scratch-path", scratch.path,
                             "dump-package"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let targets = try #require(manifest["targets"] as? [[String: Any]])
        var graph: [String: [String]] = [:]
        for target in targets {
            let name = try #require(target["name"] as? String)
            let dependencies = target["dependencies"] as? [[String: Any]] ?? []
            graph[name] = dependencies.compactMap { dependency in
                // {"byName": [name, condition]}, {"target": [name, condition]}, {"product": [name, package, ...]}
                dependency.values.compactMap { ($0 as? [Any])?.first as? String }.first
            }
        }
        return graph
    }

    static func closure(of name: String, in graph: [String: [String]]) -> Set<String> {
        var seen: Set<String> = []
        var queue = graph[name] ?? []
        while let next = queue.popLast() {
            guard seen.insert(next).inserted else { continue }
            queue += graph[next] ?? []
        }
        return seen
    }

    @Test func terminalTargetExcludesStoreIssuerAndGRDB() throws {
        let graph = try Self.manifestDependencies()
        let reached = Self.closure(of: "VouchTerminal", in: graph)
        #expect(reached.contains("VouchVerifier"), "the graph was read: \(reached.sorted())")
        #expect(reached.intersection(Self.forbidden).isEmpty, "VouchTerminal reaches \(reached.sorted())")
        // The shared HTTP target must stay store-free too, or the terminal gets the store through it.
        #expect(Self.closure(of: "VouchHTTP", in: graph).intersection(Self.forbidden).isEmpty)
        // The check itself can fail: the issuer's server does reach the store.
        #expect(Self.closure(of: "VouchServer", in: graph).contains("GRDB"))
    }

    /// No source file of the terminal imports what it must not link.
    @Test func terminalSourcesImportNoStore() throws {
        let directory = Self.packageRoot.appendingPathComponent("Sources/VouchTerminal")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count >= 8)
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("import ") {
                let module = line.split(separator: " ").last.map(String.init) ?? ""
                #expect(!Self.forbidden.contains(module), "\(file): \(line)")
            }
        }
    }
}
