import VouchHTTP
import ArgumentParser
import Foundation
import VouchCore
import VouchCrypto
import VouchLog
import VouchStore

/// `vouch log proof`: an inclusion or consistency proof, printed as JSON and verified.
struct LogProof: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof",
        abstract: "Print and verify an inclusion proof (--index) or a consistency proof (--from-checkpoint). Exit 0 verified, 1 not, 2 usage.",
        discussion: """
            --index N proves entry N is in the tree of --size S (default: the latest checkpoint's size): \
            the entry's leaf hash, the path and the root, checked against the signed checkpoint. \
            --from-checkpoint FILE proves that the log now is an extension of the checkpoint you saved in \
            FILE: nothing in it was changed or removed since.
            """)

    @OptionGroup var source: LogSourceOptions
    @Option(help: "The entry index to prove.") var index: Int?
    @Option(help: "The tree size to prove it in (default: the latest checkpoint's).") var size: Int?
    @Option(name: .customLong("from-checkpoint"), help: "A signed checkpoint saved earlier (file).")
    var fromCheckpoint: String?

    func validate() throws {
        guard (index == nil) != (fromCheckpoint == nil) else {
            throw ValidationError("give --index N (inclusion) or --from-checkpoint FILE (consistency)")
        }
        if fromCheckpoint != nil, size != nil { throw ValidationError("--size goes with --index") }
    }

    func run() async throws {
        let log = try await source.open()
        let report: [String: Any]
        do {
            guard let (note, latest) = try await log.latestCheckpoint() else {
                throw CLIError.input("the log is empty: there is nothing to prove")
            }
            if let index {
                let size = self.size ?? latest.size
                guard size >= 1, size <= latest.size else {
                    throw CLIError.input("--size must be 1 to the latest checkpoint's size \(latest.size)")
                }
                guard index >= 0, index < size else { throw CLIError.input("--index must be 0 to \(size - 1)") }
                var proved = try await log.proveInclusion(index: index, size: size, latest: latest)
                proved["latest_checkpoint"] = note
                report = proved
            } else {
                report = try await consistency(log, note: note, latest: latest)
            }
        } catch let error as LogFetchError {
            Console.error("vouch log proof: \(error.description)")
            throw ExitCode(1)
        }
        print(Console.json(report))
        guard report["verified"] as? Bool == true else {
            Console.error("vouch log proof: NOT verified")
            throw ExitCode(1)
        }
    }

    /// Proves the log grew from the saved checkpoint to the latest one.
    func consistency(_ log: LogSource, note: String, latest: Checkpoint) async throws -> [String: Any] {
        guard let path = fromCheckpoint, let saved = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError.input("--from-checkpoint: cannot read \(fromCheckpoint ?? "")")
        }
        let old: Checkpoint
        do {
            old = try log.open(saved)
        } catch {
            throw LogFetchError(description: "the saved checkpoint does not verify under the log's key: \(error.reason)")
        }
        var report: [String: Any] = [
            "from": old.size, "to": latest.size, "from_root_hash": LogJSON.base64(old.rootHash),
            "to_root_hash": LogJSON.base64(latest.rootHash), "latest_checkpoint": note,
        ]
        guard old.size <= latest.size else {
            report["verified"] = false
            report["problem"] = "the log is smaller than the saved checkpoint: it was rolled back"
            return report
        }
        let proof = try await log.consistency(from: old.size, to: latest.size)
        report["proof"] = proof.map(LogJSON.base64)
        report["verified"] = MerkleProof.verifyConsistency(
            from: old.size, to: latest.size, oldRoot: old.rootHash, newRoot: latest.rootHash, proof: proof)
        return report
    }
}

/// `vouch log show --token VCH1...`: a code's `issued` entry and its later state changes, proven in the log.
struct LogShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Find a code's issued entry and later state changes by its hash, prove each in the log. Exit 0 all proven, 1 not, 2 usage.",
        discussion: """
            The log holds SHA-256 of each code's COSE_Sign1 bytes, never the code; a state change \
            (revoked, suspended, reinstated) carries the same hash. The JSON is the issued entry's inclusion \
            proof (index, entry, proof, root_hash, verified), then later_entries: every later entry for the code \
            within the latest checkpoint's size, in log order, each with its index, event and own inclusion \
            proof; current_state is the event of the last one (issued if there is none). all_verified is true \
            when every listed entry is proven. With --url and no API key the public entry bundles are scanned.
            """)

    @OptionGroup var source: LogSourceOptions
    @Option(help: "The VCH1 text of the code, or - to read it from standard input.") var token: String

    func run() async throws {
        let text = try Console.readText(token).trimmingCharacters(in: .whitespacesAndNewlines)
        let decoded: DecodedAttestation
        do {
            decoded = try DecodedAttestation(text: text)
        } catch {
            throw CLIError.input("--token is not a VCH1 code: \(error.reason)")
        }
        let tokenHash = Digest.sha256(decoded.sign1.loggedBytes)
        let log = try await source.open()
        do {
            guard let (note, latest) = try await log.latestCheckpoint(),
                  let history = try await log.history(of: tokenHash, size: latest.size)
            else {
                print(Console.json(["found": false, "token_hash": tokenHash.hexString]))
                Console.error("vouch log show: no issued entry for this code in the log")
                throw ExitCode(1)
            }
            var report = try await prove(history.issued, of: tokenHash, in: log, latest: latest)
            var later: [[String: Any]] = []
            for index in history.later {
                var proved = try await prove(index, of: tokenHash, in: log, latest: latest)
                proved["event"] = (proved["entry"] as? [String: Any])?["event"]
                later.append(proved)
            }
            let all = [report] + later
            report["found"] = true
            report["token_hash"] = tokenHash.hexString
            report["latest_checkpoint"] = note
            report["later_entries"] = later
            report["current_state"] = (later.last?["event"] as? String) ?? LogEntry.Event.issued.rawValue
            report["all_verified"] = all.allSatisfy { $0["verified"] as? Bool == true }
            print(Console.json(report))
            guard report["all_verified"] as? Bool == true else {
                let failed = all.filter { $0["verified"] as? Bool != true }.compactMap { $0["index"] as? Int }
                let list = failed.map(String.init).joined(separator: ", ")
                Console.error("vouch log show: NOT proven in the log: entry \(list)")
                throw ExitCode(1)
            }
        } catch let error as LogFetchError {
            Console.error("vouch log show: \(error.description)")
            throw ExitCode(1)
        }
    }

    /// Entry `index` proven in the latest checkpoint's tree, and checked to be about this code.
    ///
    /// The proof covers the bytes the log served for the proof, not the ones
    /// the search read, so those bytes must name `tokenHash` too.
    func prove(_ index: Int, of tokenHash: [UInt8], in log: LogSource,
               latest: Checkpoint) async throws -> [String: Any] {
        var report = try await log.proveInclusion(index: index, size: latest.size, latest: latest)
        if (report["entry"] as? [String: Any])?["token"] as? String != tokenHash.hexString {
            report["verified"] = false
            report["problem"] = "the entry served at \(index) is not this code's"
        }
        return report
    }
}
