import BenchFixtures
import Benchmark
import RawBaselines
import VouchCore
import VouchLog

/// Pair 4: the transparency log's hashing, appends, `log verify` pass and inclusion proofs, against raw SHA-256.
///
/// - Leaves (scaling 1000, one iteration = 1000 entries of ~130 bytes, each an
///   encoded `issued` ``LogEntry``): `MerkleHash.leaf` of each entry, and
///   appending them (leaf hash + `MemoryTileStorage.append(leafHashes:)`, the
///   tile builder the store uses) to a growing in-memory log; the baseline is
///   libcrypto SHA-256 of `0x00 || entry`, the same bytes already contiguous,
///   with the `EVP_MD` fetched once and one reused `EVP_MD_CTX` (``RawSHA256``).
/// - Proofs: `TileHashReader.inclusionProof` for a pseudo-random leaf of a
///   1,000,000- and a 10,000,000-leaf tree, built once per process through the
///   bulk path `MemoryTileStorage(leafHashes:)` from synthetic leaf hashes. The
///   baseline is one raw SHA-256 of an interior node (`0x01 || left || right`,
///   scaling 1000), so the ratio reads as "one proof costs 1/ratio node hashes".
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock], timeUnits: .microseconds, warmupIterations: 5,
        scalingFactor: .kilo, maxDuration: BenchRounds.duration, maxIterations: 100_000)

    let entries: [[UInt8]]
    do {
        var random = SplitMix64(seed: 7)
        entries = try (0..<1000).map { i throws(LogError) in
            try LogEntry.attestation(
                .issued, time: 1_790_000_000 + UInt64(i), kid: Array(repeating: 0x4B, count: 8),
                token: random.bytes(32), type: .age, status: LogEntry.StatusSlot(list: 1, index: UInt64(i)),
                subject: random.bytes(32)
            ).encoded()
        }
    } catch {
        fatalError("log entries: \(error)")
    }
    let prefixed = entries.map { [0x00] + $0 }
    let sha256: RawSHA256
    do { sha256 = try RawSHA256() } catch { fatalError("\(error)") }
    precondition(sha256.hash(prefixed[0]) == MerkleHash.leaf(entries[0])[0], "raw SHA-256 disagrees with MerkleHash.leaf")
    precondition(entries.count == BenchmarkScalingFactor.kilo.rawValue)

    for round in BenchRounds.all {
        Benchmark("Leaves \(round) - baseline raw SHA-256") { benchmark in
            for i in benchmark.scaledIterations {
                blackHole(sha256.hash(prefixed[i]))
            }
        }

        Benchmark("Leaves \(round) - ours MerkleHash.leaf") { benchmark in
            for i in benchmark.scaledIterations {
                blackHole(MerkleHash.leaf(entries[i]))
            }
        }

        // `vouch log verify`'s pass: each entry decoded and checked, hashed, folded into the tree.
        Benchmark("Leaves \(round) - ours log verify pass") { benchmark in
            var audit = LogAuditor(origin: "bench", verifiers: []).start(checkpoints: [])
            for i in benchmark.scaledIterations {
                audit.append(entry: entries[i])
            }
            blackHole(audit.finish().rootHash)
        }

        Benchmark("Leaves \(round) - ours append to tiles") { benchmark, log in
            var hashes: [[UInt8]] = []
            hashes.reserveCapacity(entries.count)
            for i in benchmark.scaledIterations {
                hashes.append(MerkleHash.leaf(entries[i]))
            }
            do { try log.storage.append(leafHashes: hashes) } catch { fatalError("append: \(error)") }
            blackHole(log.storage.treeSize)
        } setup: {
            GrowingLog()
        }
    }

    var random = SplitMix64(seed: 1)
    let node = [0x01] + random.bytes(64)
    Benchmark("Proof - baseline raw SHA-256 node") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(sha256.hash(node))
        }
    }

    for (label, size) in [("1M", 1_000_000), ("10M", 10_000_000)] {
        Benchmark(
            "Proof - ours inclusion \(label)",
            configuration: .init(scalingFactor: .one, maxDuration: .seconds(2))
        ) { benchmark, tree in
            for _ in benchmark.scaledIterations {
                do { blackHole(try tree.nextProof()) } catch { fatalError("inclusion proof: \(error)") }
            }
        } setup: {
            try ProofTree(size: size)
        }
    }
}

/// An in-memory log that the append benchmark keeps growing.
final class GrowingLog {
    var storage = MemoryTileStorage()
}

/// A tree built once through the bulk path, and the leaves asked about.
final class ProofTree {
    let reader: TileHashReader<MemoryTileStorage>
    let size: Int
    private var random = SplitMix64(seed: 42)

    init(size: Int) throws {
        var random = SplitMix64(seed: UInt64(size))
        // Synthetic leaf hashes: a proof only reads hashes, so they need not
        // be hashes of real entries, and 10M SHA-256 calls would be wasted setup.
        let leaves = (0..<size).map { _ in random.bytes(32) }
        let storage = try MemoryTileStorage(leafHashes: leaves)
        self.reader = TileHashReader(storage: storage)
        self.size = size
        // Check once that a proof verifies, so the benchmark measures something correct.
        let index = size / 3
        let proof = try reader.inclusionProof(index: index, size: size)
        guard MerkleProof.verifyInclusion(leafHash: leaves[index], index: index, size: size, proof: proof,
                                          root: try reader.treeHash(size: size)) else {
            fatalError("inclusion proof for leaf \(index) of \(size) does not verify")
        }
    }

    /// The proof of a pseudo-random leaf, so no two iterations read the same tiles in a row.
    func nextProof() throws -> [[UInt8]] {
        try reader.inclusionProof(index: Int(random.next() % UInt64(size)), size: size)
    }
}

/// A small deterministic generator for synthetic bytes (SplitMix64).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            withUnsafeBytes(of: next().littleEndian) { out.append(contentsOf: $0.prefix(count - out.count)) }
        }
        return out
    }
}
