import VouchHTTP
import Foundation
import VouchLog
import VouchStore

/// What an inclusion proof needs from a log: the entry itself, the path and the root.
struct ServedInclusion {
    let entry: [UInt8]
    let proof: [[UInt8]]
    let root: [UInt8]
    /// The note signed at exactly that size, when the log has one.
    let note: String?
}

extension LogSource {
    /// The newest signed checkpoint, opened under the log's key.
    ///
    /// - Returns: `nil` for an empty log.
    /// - Throws: `LogFetchError` if the log's checkpoint does not verify.
    func latestCheckpoint() async throws -> (note: String, checkpoint: Checkpoint)? {
        let note: String?
        switch self {
        case .local(let reader, _): note = try await reader.latestCheckpoint()?.note
        case .remote(let client, _): note = try await client.text("/v1/log/checkpoint")
        }
        guard let note else { return nil }
        do {
            return (note, try open(note))
        } catch {
            throw LogFetchError(description: "the log's latest checkpoint does not verify: \(error.reason)")
        }
    }

    /// Entry `index`, its inclusion path in the tree of `size`, and that tree's root, as the log serves them.
    func inclusion(index: Int, size: Int) async throws -> ServedInclusion {
        switch self {
        case .local(let reader, _):
            guard let stored = try await reader.entries(in: index..<index + 1).first else {
                throw LogFetchError(description: "entry \(index) is missing")
            }
            return ServedInclusion(
                entry: stored.entry, proof: try await reader.inclusionProof(index: index, size: size),
                root: try await reader.treeHash(size: size), note: try await reader.checkpoint(size: size)?.note)
        case .remote(let client, _):
            let answer = try await client.json("/v1/log/proof/inclusion?index=\(index)&size=\(size)")
            guard let entry = try await client.entries(start: index, end: index + 1, treeSize: size).first,
                  let proof = Self.hashes(answer["proof"]), let root = Self.hash(answer["root_hash"])
            else { throw LogFetchError(description: "the inclusion proof of entry \(index) is malformed") }
            return ServedInclusion(entry: entry, proof: proof, root: root, note: answer["checkpoint"] as? String)
        }
    }

    /// The consistency proof from tree size `from` to `to`, as the log serves it.
    func consistency(from: Int, to: Int) async throws -> [[UInt8]] {
        switch self {
        case .local(let reader, _):
            return try await reader.consistencyProof(from: from, to: to)
        case .remote(let client, _):
            let answer = try await client.json("/v1/log/proof/consistency?from=\(from)&to=\(to)")
            guard let proof = Self.hashes(answer["proof"]) else {
                throw LogFetchError(description: "the consistency proof from \(from) to \(to) is malformed")
            }
            return proof
        }
    }

    /// Where a code's entries are, within the first `size` entries: its `issued`
    /// entry, then every later entry for the same token hash (state changes).
    ///
    /// A local store answers from the `attestations` table and an index-range
    /// query; a server's entries are scanned once, from the start (with an API
    /// key through `GET /v1/log/entries`, else the public entry bundles), and
    /// the scan goes on from the `issued` entry to `size`.
    ///
    /// - Returns: `nil` if the log holds no `issued` entry for `tokenHash`.
    func history(of tokenHash: [UInt8], size: Int) async throws -> (issued: Int, later: [Int])? {
        switch self {
        case .local(let reader, _):
            guard let stored = try await reader.issuedEntry(tokenHash: tokenHash), stored.index < size else { return nil }
            let later = try await reader.laterEntries(tokenHash: tokenHash, after: stored.index, below: size)
            return (stored.index, later.map(\.index))
        case .remote(let client, _):
            let page = client.apiKey != nil ? AuditLogReader.maximumPageSize : 4 * TilePath.fullWidth
            var issued: Int?
            var later: [Int] = []
            var start = 0
            while start < size {
                let end = min(size, start + page)
                for (offset, bytes) in try await client.entries(start: start, end: end, treeSize: size).enumerated() {
                    guard let entry = try? LogEntry(cbor: bytes), entry.token == tokenHash else { continue }
                    if issued != nil {
                        later.append(start + offset)
                    } else if entry.event == .issued {
                        issued = start + offset
                    }
                }
                start = end
            }
            return issued.map { ($0, later) }
        }
    }

    /// Proves entry `index` is in the tree of `size`, anchored in the signed `latest` checkpoint.
    ///
    /// When no checkpoint was signed at `size` itself, the root served for
    /// `size` must also be consistent with `latest`.
    ///
    /// - Returns: The JSON report, with `verified`.
    func proveInclusion(index: Int, size: Int, latest: Checkpoint) async throws -> [String: Any] {
        let served = try await inclusion(index: index, size: size)
        let leaf = MerkleHash.leaf(served.entry)
        var anchored: Bool
        var object: [String: Any] = [
            "index": index, "tree_size": size, "leaf_hash": LogJSON.base64(leaf),
            "proof": served.proof.map(LogJSON.base64), "root_hash": LogJSON.base64(served.root),
            "entry": LogJSON.entry(index: index, bytes: served.entry),
        ]
        if size == latest.size {
            anchored = served.root == latest.rootHash
        } else if let note = served.note, let signed = try? open(note), signed.size == size {
            anchored = served.root == signed.rootHash
            object["checkpoint"] = note
        } else {
            let proof = try await consistency(from: size, to: latest.size)
            anchored = MerkleProof.verifyConsistency(from: size, to: latest.size, oldRoot: served.root,
                                                     newRoot: latest.rootHash, proof: proof)
            object["consistency_proof"] = proof.map(LogJSON.base64)
        }
        object["checkpoint_size"] = latest.size
        object["verified"] = anchored && MerkleProof.verifyInclusion(
            leafHash: leaf, index: index, size: size, proof: served.proof, root: served.root)
        return object
    }

    private static func hash(_ value: Any?) -> [UInt8]? {
        guard let text = value as? String, let data = Data(base64Encoded: text), data.count == MerkleHash.length else {
            return nil
        }
        return [UInt8](data)
    }

    private static func hashes(_ value: Any?) -> [[UInt8]]? {
        guard let list = value as? [Any] else { return nil }
        let hashes = list.compactMap(hash)
        return hashes.count == list.count ? hashes : nil
    }
}
