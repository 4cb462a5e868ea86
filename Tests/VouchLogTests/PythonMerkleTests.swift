import Foundation
import Testing
import VouchCore
import VouchLog

/// Roots and proofs from tiles equal those of an independent Python RFC 9162
/// implementation (`Python/merkle.py`, stdlib only).
@Suite struct PythonMerkleTests {
    @Test func pythonImplementationPassesTheCTVectors() throws {
        let result = try PythonHelper.run("merkle.py", ["selftest"])
        #expect(result.status == 0, "merkle.py selftest: \(result.stderr)")
    }

    @Test(arguments: [(UInt64(1), 300), (2, 257), (3, 64)])
    func rootsAndProofsAgreeWithPython(seed: UInt64, count: Int) throws {
        let leaves = TestData.leafHashes(count, seed: seed)
        let storage = try TestData.incrementalStorage(leaves, batches: TestData.batches(count, seed: seed, maximum: 40))
        let reader = TileHashReader(storage: storage)

        // Every pair for small sizes, a sample for the rest.
        var rng = SplitMix64(seed: seed &* 1000)
        var inclusion: [[Int]] = []
        var consistency: [[Int]] = []
        for size in 1...min(count, 40) {
            for index in 0..<size { inclusion.append([index, size]) }
            for from in 0...size { consistency.append([from, size]) }
        }
        for _ in 0..<1500 {
            let size = Int.random(in: 1...count, using: &rng)
            inclusion.append([Int.random(in: 0..<size, using: &rng), size])
            consistency.append([Int.random(in: 0...size, using: &rng), size])
        }
        let request: [String: Any] = [
            "leaves": leaves.map(\.hexString), "roots": Array(0...count),
            "inclusion": inclusion, "consistency": consistency,
        ]
        let result = try PythonHelper.run("merkle.py", ["batch"],
                                          input: try JSONSerialization.data(withJSONObject: request))
        try #require(result.status == 0, "merkle.py batch: \(result.stderr)")
        let response = try PythonHelper.json(result.stdout)
        let roots = try #require(response["roots"] as? [String])
        let inclusionProofs = try #require(response["inclusion"] as? [[String]])
        let consistencyProofs = try #require(response["consistency"] as? [[String]])
        try #require(roots.count == count + 1 && inclusionProofs.count == inclusion.count
            && consistencyProofs.count == consistency.count)

        let swiftRoots = try (0...count).map { try reader.treeHash(size: $0) }
        #expect(swiftRoots.map(\.hexString) == roots)
        var mismatches: [String] = []
        for (pair, expected) in zip(inclusion, inclusionProofs) {
            let (index, size) = (pair[0], pair[1])
            let proof = try reader.inclusionProof(index: index, size: size)
            if proof.map(\.hexString) != expected { mismatches.append("inclusion \(index) in \(size)") }
            if !MerkleProof.verifyInclusion(leafHash: leaves[index], index: index, size: size, proof: proof,
                                            root: swiftRoots[size]) {
                mismatches.append("inclusion \(index) in \(size) does not verify")
            }
        }
        for (pair, expected) in zip(consistency, consistencyProofs) {
            let (from, to) = (pair[0], pair[1])
            let proof = try reader.consistencyProof(from: from, to: to)
            if proof.map(\.hexString) != expected { mismatches.append("consistency \(from) to \(to)") }
            if !MerkleProof.verifyConsistency(from: from, to: to, oldRoot: swiftRoots[from], newRoot: swiftRoots[to],
                                              proof: proof) {
                mismatches.append("consistency \(from) to \(to) does not verify")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}
