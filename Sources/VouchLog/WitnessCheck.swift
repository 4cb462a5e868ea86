/// The checks a C2SP `tlog-witness` makes before it cosigns, as a pure
/// function of the request and the tree it last cosigned for that log.
///
/// The caller (the witness service) runs it and stores the result under one
/// lock, so no two requests for a log can both pass against the same state.
public enum WitnessCheck {
    /// What a witness holds per log: the size and root hash it last cosigned.
    public struct Tree: Sendable, Hashable, Codable {
        public let size: Int
        public let rootHash: [UInt8]

        public init(size: Int, rootHash: [UInt8]) {
            self.size = size
            self.rootHash = rootHash
        }

        /// Where a log the witness has never seen starts.
        public static let empty = Tree(size: 0, rootHash: MerkleHash.emptyRoot)
    }

    /// Why a request is refused, with the HTTP status of tlog-witness.
    public struct Refusal: Error, Hashable, CustomStringConvertible {
        public enum Kind: Sendable, Hashable {
            /// 400: the request cannot be read, or the checkpoint is smaller than `old`.
            case malformed
            /// 404: the checkpoint's origin is not a log this witness follows.
            case unknownLog
            /// 403: not signed by the key of the log it names.
            case untrustedLog
            /// 409: `old` is not the size this witness holds (its size is sent back), or equal sizes with another root.
            case conflict(size: Int)
            /// 422: the consistency proof does not prove the new tree extends the held one.
            case inconsistent
        }

        public let kind: Kind
        public let reason: String

        public init(_ kind: Kind, _ reason: String) {
            self.kind = kind
            self.reason = reason
        }

        public var status: Int {
            switch kind {
            case .malformed: 400
            case .unknownLog: 404
            case .untrustedLog: 403
            case .conflict: 409
            case .inconsistent: 422
            }
        }

        public var description: String { "\(status): \(reason)" }

        /// Refusals compare by kind only; the reason is for logs.
        public static func == (lhs: Refusal, rhs: Refusal) -> Bool { lhs.kind == rhs.kind }
        public func hash(into hasher: inout Hasher) { hasher.combine(kind) }
    }

    /// Checks a request against the logs this witness follows.
    ///
    /// - Parameters:
    ///   - request: The parsed `add-checkpoint` body.
    ///   - logs: The log keys followed; a key's name is its log's origin.
    ///   - held: The tree last cosigned for an origin, `nil` if none.
    /// - Returns: The verified checkpoint (to cosign and record).
    /// - Throws: ``Refusal``.
    public static func check(_ request: AddCheckpointRequest, logs: [NoteVerifier],
                             held: (String) -> Tree?) throws(Refusal) -> Checkpoint {
        // The origin is the note's first line; only a followed log's key may sign for it.
        let origin = String(decoding: request.note.prefix { $0 != 0x0a }, as: UTF8.self)
        let followed = logs.filter { $0.name == origin }
        guard !followed.isEmpty else { throw Refusal(.unknownLog, "this witness does not follow that log") }
        let note: SignedNote
        do {
            note = try SignedNote.open(note: request.note, verifiers: followed)
        } catch {
            if error.code == .malformedNote { throw Refusal(.malformed, "checkpoint note: \(error.reason)") }
            throw Refusal(.untrustedLog, "the checkpoint is not signed by a log this witness follows")
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint(text: note.text)
        } catch {
            throw Refusal(.malformed, "checkpoint: \(error.reason)")
        }
        guard note.signatures.contains(where: { $0.name == checkpoint.origin }) else {
            throw Refusal(.untrustedLog, "the checkpoint is not signed by the key of its own origin")
        }
        let tree = held(checkpoint.origin) ?? .empty
        guard request.oldSize == tree.size else {
            throw Refusal(.conflict(size: tree.size), "this witness holds size \(tree.size), not \(request.oldSize)")
        }
        guard checkpoint.size >= tree.size else {
            throw Refusal(.malformed, "the checkpoint (size \(checkpoint.size)) is older than size \(tree.size)")
        }
        if checkpoint.size == tree.size {
            guard checkpoint.rootHash == tree.rootHash else {
                throw Refusal(.conflict(size: tree.size), "another root hash at the size this witness holds: a fork")
            }
            return checkpoint
        }
        guard MerkleProof.verifyConsistency(from: tree.size, to: checkpoint.size, oldRoot: tree.rootHash,
                                            newRoot: checkpoint.rootHash, proof: request.proof)
        else {
            throw Refusal(.inconsistent, "the proof does not show size \(checkpoint.size) extends size \(tree.size)")
        }
        return checkpoint
    }
}
