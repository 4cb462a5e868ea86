public import Foundation
import Hummingbird
import Logging
import Synchronization
import VouchHTTP
import VouchVerifier

/// The log checkpoint a terminal holds: only one with the witness quorum (issue 14, format.md §7).
///
/// A checkpoint the upstream serves is adopted only when the bundle's log key
/// signed it and at least `witness_quorum` of the bundle's witnesses cosigned
/// it, and only if it neither rolls back nor forks the one held. Anything
/// else is refused: the terminal keeps its last quorum-verified checkpoint,
/// serves only that one, and says since when the upstream's checkpoints lack
/// the quorum.
extension Terminal {
    /// The last checkpoint with the witness quorum; `nil` until one was adopted.
    public var checkpoint: WitnessedCheckpoint? { state.withLock { $0.checkpoint } }

    /// Since when the upstream's checkpoints lack the witness quorum; `nil` while they have it.
    public var quorumLackingSince: Date? { state.withLock { $0.persisted.quorumLackingSince } }

    /// Whether the bundle held asks for witnessed checkpoints at all.
    public var requiresWitnessQuorum: Bool { !(bundle?.witnesses.isEmpty ?? true) }

    /// Adopts `note` if it is a checkpoint of the bundle's log with the witness quorum, newer than the one held.
    ///
    /// - Returns: the checkpoint now held.
    /// - Throws: ``WitnessedCheckpoint/Refusal``; then the held checkpoint stays
    ///   and ``quorumLackingSince`` is set (if it was not already).
    @discardableResult
    public func adoptCheckpoint(_ note: [UInt8], at now: Date = Date()) throws(WitnessedCheckpoint.Refusal)
        -> WitnessedCheckpoint
    {
        let adopted: WitnessedCheckpoint
        do throws(WitnessedCheckpoint.Refusal) {
            guard let bundle, !bundle.witnesses.isEmpty else {
                throw WitnessedCheckpoint.Refusal(code: .noQuorum, reason: "the trust bundle names no witnesses")
            }
            let verified = try WitnessedCheckpoint.verify(note: note, bundle: bundle, at: now)
            try checkpoint?.checkSuccessor(verified)
            adopted = verified
        } catch {
            refuseCheckpoint(error.reason, at: now)
            throw error
        }
        let persisted = state.withLock { state in
            state.checkpoint = adopted
            state.persisted.checkpointVerifiedAt = now
            state.persisted.quorumLackingSince = nil
            return state.persisted
        }
        do {
            try files.writeCheckpoint(note)
            try files.writeState(persisted)
        } catch {
            logger.error("terminal: cannot persist the log checkpoint", metadata: ["vouch.error": "\(error)"])
        }
        return adopted
    }

    /// Records that the upstream served no checkpoint with the quorum at `now`; the held one stays.
    public func refuseCheckpoint(_ reason: String, at now: Date = Date()) {
        let persisted: TerminalFiles.Persisted? = state.withLock { state in
            guard state.persisted.quorumLackingSince == nil else { return nil }
            state.persisted.quorumLackingSince = now
            return state.persisted
        }
        if let persisted { try? files.writeState(persisted) }
        recordFailure("Log checkpoint lacks witness quorum", at: now)
        logger.warning("terminal: log checkpoint refused", metadata: ["vouch.error": "\(reason)"])
    }

    /// Re-checks the kept checkpoint against the kept bundle at start; one that no longer passes is dropped.
    func loadKeptCheckpoint() {
        guard let note = files.readCheckpoint() else { return }
        guard let bundle else { return }
        let verifiedAt = state.withLock { $0.persisted.checkpointVerifiedAt } ?? Date()
        do throws(WitnessedCheckpoint.Refusal) {
            let kept = try WitnessedCheckpoint.verify(note: note, bundle: bundle, at: verifiedAt)
            state.withLock { $0.checkpoint = kept }
        } catch {
            logger.warning("terminal: kept log checkpoint rejected", metadata: ["vouch.error": "\(error.reason)"])
        }
    }

    /// The `log_checkpoint` object of `GET /v1/terminal/state` and `/healthz`.
    func checkpointJSON() -> [String: Any] {
        let (held, lacking, required) = state.withLock { state in
            (state.checkpoint, state.persisted.quorumLackingSince, !(state.bundle?.witnesses.isEmpty ?? true))
        }
        var json: [String: Any] = [
            "witness_quorum": !required ? "not_required" : (lacking == nil && held != nil ? "met" : "lacking"),
            "size": held?.size ?? NSNull(),
            "cosigners": held?.cosigners ?? NSNull(),
            "verified_at": held.map { TerminalStateText.iso($0.verifiedAt) } ?? NSNull(),
            "lacking_since": lacking.map(TerminalStateText.iso) ?? NSNull(),
        ]
        if required, lacking != nil || held == nil {
            json["message"] = "Log checkpoint lacks the witness quorum"
                + (lacking.map { " since " + TerminalStateText.iso($0) } ?? "")
                + (held.map { "; keeping the last witnessed checkpoint (size \($0.size))" } ?? "; no witnessed checkpoint held")
        }
        return json
    }
}

extension TerminalController {
    /// `GET /v1/log/checkpoint/cosigned` on a terminal: the last checkpoint it verified with the witness quorum.
    ///
    /// Wallets and auditors at the till may read it; a terminal never serves
    /// a checkpoint it did not verify, so with none held the answer is 503.
    func addCheckpointRoute<Context: RequestContext>(_ terminal: Terminal, to router: Router<Context>) {
        router.get("/v1/log/checkpoint/cosigned") { _, _ in
            guard let held = terminal.checkpoint else {
                throw Problem.unavailable("no log checkpoint with the witness quorum held")
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: held.note)))
        }
    }
}
