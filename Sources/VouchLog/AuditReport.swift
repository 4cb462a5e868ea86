/// The outcome of ``LogAuditor``: what the log is, and what is wrong with it.
public struct AuditReport: Hashable, Sendable {
    /// The number of entries audited.
    public let treeSize: Int
    /// The recomputed root over all entries.
    public let rootHash: [UInt8]
    /// The positions of the checkpoints that passed every check.
    public let verifiedCheckpoints: [Int]
    /// Everything found wrong, in the order found: signature, origin and
    /// ordering problems of checkpoints first, then entries and roots in log
    /// order, then checkpoints larger than the log.
    public let problems: [AuditProblem]
    /// Whether ``problems`` stopped at the auditor's limit.
    public let isTruncated: Bool

    /// Whether the log passed: no problems at all.
    public var isValid: Bool { problems.isEmpty }
}
