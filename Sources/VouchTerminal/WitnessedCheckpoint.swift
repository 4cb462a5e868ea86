public import Foundation
import VouchLog
public import VouchVerifier

/// A log checkpoint that the trust bundle's log key signed and a quorum of its witnesses cosigned.
///
/// The only way to make one is ``verify(note:bundle:at:)``, so a terminal that
/// holds a value of this type holds a checkpoint with the quorum (issue 14):
/// the log's word alone is never adopted, stored or served.
public struct WitnessedCheckpoint: Sendable, Equatable {
    /// The cosigned note as the upstream served it.
    public let note: [UInt8]
    /// The log's origin line.
    public let origin: String
    /// The tree size.
    public let size: Int
    /// The tree's root hash.
    public let rootHash: [UInt8]
    /// How many of the bundle's witnesses cosigned it.
    public let cosigners: Int
    /// When this terminal checked the quorum.
    public let verifiedAt: Date

    /// Why a checkpoint is not adopted. `reason` is plain words for the page and the log (no key material).
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public enum Code: String, Sendable { case malformed, noQuorum, rollback, fork }
        public let code: Code
        public let reason: String
        public var description: String { reason }
        public init(code: Code, reason: String) {
            self.code = code
            self.reason = reason
        }
        public static func == (lhs: Refusal, rhs: Refusal) -> Bool { lhs.code == rhs.code }
    }

    /// Checks `note` against the bundle's log key, witness keys and quorum.
    ///
    /// - Throws: ``Refusal`` `.malformed` when the log key does not sign it or
    ///   it is of another origin, `.noQuorum` when fewer than `witness_quorum`
    ///   of the bundle's witnesses cosigned it (or the bundle names none).
    public static func verify(note: [UInt8], bundle: TrustBundle, at now: Date) throws(Refusal) -> WitnessedCheckpoint {
        let opened: SignedNote, checkpoint: Checkpoint, logKey: NoteVerifier
        do throws(LogError) {
            logKey = try NoteVerifier(vkey: bundle.logKey)
            opened = try SignedNote.open(note: note, verifiers: [logKey])
            checkpoint = try Checkpoint(text: opened.text)
        } catch {
            throw Refusal(code: .malformed, reason: "the checkpoint does not verify under the log key: \(error.reason)")
        }
        guard checkpoint.origin == logKey.name else {
            throw Refusal(code: .malformed, reason: "checkpoint of another origin")
        }
        let witnesses = bundle.witnesses.compactMap { try? Cosignature.Verifier(vkey: $0) }
        let count = Cosignature.cosigners(of: opened, among: witnesses).count
        guard bundle.witnessQuorum >= 1, count >= bundle.witnessQuorum else {
            throw Refusal(code: .noQuorum,
                          reason: "\(count) of \(bundle.witnessQuorum) witness cosignatures")
        }
        return WitnessedCheckpoint(note: note, origin: checkpoint.origin, size: checkpoint.size,
                                   rootHash: checkpoint.rootHash, cosigners: count, verifiedAt: now)
    }

    /// Whether `newer` may replace this checkpoint: the same log, not smaller, and not another root at this size.
    ///
    /// Witnesses checked consistency before cosigning a larger tree; a
    /// smaller one is a rollback and a different root at the same size is a
    /// fork, which a quorum of honest witnesses never cosigns.
    ///
    /// - Throws: ``Refusal`` `.rollback` or `.fork`.
    func checkSuccessor(_ newer: WitnessedCheckpoint) throws(Refusal) {
        guard newer.origin == origin else { return }  // a new log named by a new bundle
        if newer.size < size {
            throw Refusal(code: .rollback, reason: "checkpoint size \(newer.size) is older than the held \(size)")
        }
        if newer.size == size, newer.rootHash != rootHash {
            throw Refusal(code: .fork, reason: "another root hash at the held size \(size)")
        }
    }
}
