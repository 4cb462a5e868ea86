import VouchHTTP
import Foundation
import VouchLog
import VouchStore

/// An audit report, with the checkpoints it refers to by position and any
/// problems of saved checkpoints checked after the streaming pass.
struct AuditFindings {
    let treeSize: Int
    let rootHash: [UInt8]
    var verifiedCheckpoints: Int
    var problems: [AuditProblem]
    let isTruncated: Bool
    /// The audited checkpoint notes; problem positions index this list.
    var notes: [String]

    init(_ report: AuditReport, notes: [String]) {
        treeSize = report.treeSize
        rootHash = report.rootHash
        verifiedCheckpoints = report.verifiedCheckpoints.count
        problems = report.problems
        isTruncated = report.isTruncated
        self.notes = notes
    }

    /// Checks checkpoints saved earlier against a store whose pass is done:
    /// signed by the log, within it, and with the root the tiles give at
    /// their size (the pass has compared every tile with the entries).
    mutating func check(saved: [String], in reader: AuditLogReader, log: LogSource) async throws {
        let first = notes.count
        defer { notes += saved }
        for (offset, note) in saved.enumerated() {
            let position = first + offset
            let checkpoint: Checkpoint
            do {
                checkpoint = try log.open(note)
            } catch {
                let code: AuditProblem.Code = error.code == .invalidSignature || error.code == .unverifiedNote
                    ? .badSignature : .malformedCheckpoint
                problems.append(AuditProblem(code, checkpoint: position, reason: error.reason))
                continue
            }
            guard checkpoint.size <= treeSize else {
                problems.append(AuditProblem(.sizeBeyondLog, checkpoint: position,
                                             reason: "size \(checkpoint.size), log has \(treeSize) entries"))
                continue
            }
            if let root = try? await reader.treeHash(size: checkpoint.size), root == checkpoint.rootHash {
                verifiedCheckpoints += 1
            } else {
                problems.append(AuditProblem(.rootMismatch, checkpoint: position,
                                             reason: "root at size \(checkpoint.size) differs from the entries"))
            }
        }
    }

    var sizes: [Int?] { notes.map { (try? Checkpoint(text: LogVerify.body(of: $0)))?.size } }

    func describe(_ problem: AuditProblem, sizes: [Int?]) -> String {
        var subject: String
        if let position = problem.checkpoint {
            let size = position < sizes.count ? sizes[position].map(String.init) ?? "?" : "?"
            subject = "checkpoint \(position) (size \(size))"
        } else if let index = problem.leafIndex {
            subject = "entry \(index)"
        } else {
            subject = "log"
        }
        return "\(subject): \(problem.code): \(problem.reason)"
    }

    var text: String {
        let root = Data(rootHash).base64EncodedString()
        if problems.isEmpty {
            return "log OK: \(treeSize) entries, root \(root), \(verifiedCheckpoints) of \(notes.count) checkpoints verified"
        }
        let sizes = self.sizes
        let shown = 50
        var lines = ["log verify: \(problems.count)\(isTruncated ? "+" : "") problems "
                     + "(\(treeSize) entries, recomputed root \(root))"]
        lines += problems.prefix(shown).map { "  " + describe($0, sizes: sizes) }
        if problems.count > shown { lines.append("  ... and \(problems.count - shown) more (--json lists all)") }
        return lines.joined(separator: "\n")
    }

    var jsonObject: [String: Any] {
        let sizes = self.sizes
        return [
            "ok": problems.isEmpty, "tree_size": treeSize, "root_hash": Data(rootHash).base64EncodedString(),
            "checkpoints": notes.count, "verified_checkpoints": verifiedCheckpoints, "truncated": isTruncated,
            "problems": problems.map { problem -> [String: Any] in
                var object: [String: Any] = ["code": problem.code.description, "reason": problem.reason,
                                             "message": describe(problem, sizes: sizes)]
                if let position = problem.checkpoint {
                    object["checkpoint"] = position
                    if position < sizes.count, let size = sizes[position] { object["checkpoint_size"] = size }
                }
                if let index = problem.leafIndex { object["index"] = index }
                return object
            },
        ]
    }
}
