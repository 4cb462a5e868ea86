import VouchHTTP
import Foundation
import Logging
import VouchLog
import VouchVerifier

extension TrustSync {
    /// The largest cosigned checkpoint read.
    static let maximumCheckpointSize = 64 * 1024

    /// Checks the upstream's cosigned checkpoint against the witnesses and quorum the bundle names.
    ///
    /// A terminal does not take the log's word alone: when the signed bundle
    /// names witnesses, `GET /v1/log/checkpoint/cosigned` must verify under the
    /// bundle's log key and carry valid cosignatures of at least `witness_quorum`
    /// of them. Otherwise the terminal refuses it and records the failure (the
    /// checkout page shows it), as it does for any sync that fails.
    ///
    /// - Returns: whether the checkpoint was accepted (`true` when the bundle names no witnesses).
    func syncCheckpoint(now: @Sendable () -> Date) async -> Bool {
        guard let bundle = terminal.bundle, !bundle.witnesses.isEmpty else { return true }
        let url = URL(string: upstream.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                      + "/v1/log/checkpoint/cosigned") ?? upstream
        let problem: String?
        do {
            switch try await client.get(url, accept: "text/plain", ifNoneMatch: nil, limit: Self.maximumCheckpointSize) {
            case .notModified: problem = "the upstream answered 304 to an unconditional request"
            case .fetched(let body, _): problem = Self.quorumProblem(note: body, bundle: bundle)
            }
        } catch {
            problem = "no cosigned checkpoint (\(error))"
        }
        if let problem {
            terminal.recordFailure("Log checkpoint lacks witness quorum", at: now())
            logger.warning("terminal: cosigned checkpoint refused", metadata: ["vouch.error": "\(problem)"])
            return false
        }
        return true
    }

    /// Why `note` is not a checkpoint of the bundle's log cosigned by a quorum of its witnesses, or `nil`.
    static func quorumProblem(note: [UInt8], bundle: TrustBundle) -> String? {
        do {
            let logKey = try NoteVerifier(vkey: bundle.logKey)
            let opened = try SignedNote.open(note: note, verifiers: [logKey])
            guard try Checkpoint(text: opened.text).origin == logKey.name else { return "checkpoint of another origin" }
            let witnesses = bundle.witnesses.compactMap { try? Cosignature.Verifier(vkey: $0) }
            let count = Cosignature.cosigners(of: opened, among: witnesses).count
            return count >= bundle.witnessQuorum ? nil : "\(count) of \(bundle.witnessQuorum) witness cosignatures"
        } catch {
            return "the checkpoint does not verify: \(error.reason)"
        }
    }
}
