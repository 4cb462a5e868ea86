import VouchHTTP
import Foundation
import Logging
import VouchLog
import VouchVerifier

extension TrustSync {
    /// The largest cosigned checkpoint read.
    static let maximumCheckpointSize = 64 * 1024

    /// Fetches the upstream's cosigned checkpoint and adopts it only with the bundle's witness quorum.
    ///
    /// A terminal does not take the log's word alone: when the signed bundle
    /// names witnesses, `GET /v1/log/checkpoint/cosigned` must verify under the
    /// bundle's log key and carry valid cosignatures of at least `witness_quorum`
    /// of them, and must not roll back or fork the checkpoint held
    /// (``Terminal/adoptCheckpoint(_:at:)``). Otherwise the terminal keeps its
    /// last witnessed checkpoint, records the failure and since when (the
    /// checkout page and `/healthz` show it).
    ///
    /// - Returns: whether a checkpoint with the quorum is held and current (`true` when the bundle names no witnesses).
    func syncCheckpoint(now: @Sendable () -> Date) async -> Bool {
        guard terminal.requiresWitnessQuorum else { return true }
        let url = URL(string: upstream.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                      + "/v1/log/checkpoint/cosigned") ?? upstream
        do {
            switch try await client.get(url, accept: "text/plain", ifNoneMatch: nil, limit: Self.maximumCheckpointSize) {
            case .notModified:
                terminal.refuseCheckpoint("the upstream answered 304 to an unconditional request", at: now())
                return false
            case .fetched(let body, _):
                let adopted = try terminal.adoptCheckpoint(body, at: now())
                logger.debug("terminal: witnessed checkpoint adopted", metadata: [
                    "log.size": "\(adopted.size)", "log.cosigners": "\(adopted.cosigners)",
                ])
                return true
            }
        } catch is WitnessedCheckpoint.Refusal {
            return false  // adoptCheckpoint recorded it
        } catch {
            terminal.refuseCheckpoint("no cosigned checkpoint (\(error))", at: now())
            return false
        }
    }
}
