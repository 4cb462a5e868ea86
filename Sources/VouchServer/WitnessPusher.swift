import VouchHTTP
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
public import Logging
import Metrics
public import ServiceLifecycle
public import VouchLog
public import VouchStore

/// The log's side of witnessing: pushes each new checkpoint to every
/// configured witness (C2SP tlog-witness `add-checkpoint`) and keeps the
/// newest checkpoint that a quorum of them cosigned.
///
/// Issuance never waits for it: the writer commits and signs checkpoints as
/// before, and this service reads them afterwards. Pushes run concurrently
/// with a timeout each, outside any lock (the actor is free while a push is
/// in flight). A witness that is down only makes the cosigned checkpoint lag;
/// `vouch_witness_lag_entries{witness}` and `vouch_log_cosigned_lag_entries`
/// show by how much.
public actor WitnessPusher: Service {
    public nonisolated let configuration: WitnessConfiguration
    private let reader: AuditLogReader
    private let logKey: NoteVerifier
    private let logger: Logger
    private let session: URLSession
    /// The size each witness holds, as far as the log knows (from a 200 or a 409).
    private var held: [Int: Int] = [:]
    /// Per checkpoint size, the cosignature line of each witness (by position).
    private var cosignatures: [Int: [Int: String]] = [:]
    /// The newest checkpoint with a quorum of cosignatures, as a note with them appended.
    public private(set) var cosigned: (size: Int, note: String)?

    /// - Parameter logKey: the log's note key, under which the checkpoints pushed verify.
    public init(configuration: WitnessConfiguration, reader: AuditLogReader, logKey: NoteVerifier, logger: Logger) {
        self.configuration = configuration
        self.reader = reader
        self.logKey = logKey
        self.logger = logger
        let session = URLSessionConfiguration.ephemeral
        session.timeoutIntervalForRequest = configuration.timeout
        session.timeoutIntervalForResource = configuration.timeout
        self.session = URLSession(configuration: session)
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await self.pushOnce()
                    try await Task.sleep(for: .seconds(self.configuration.interval))
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// Pushes the latest checkpoint to every witness that has not cosigned it; returns when all answered or timed out.
    public func pushOnce() async {
        guard let latest = try? await reader.latestCheckpoint() else { return }
        let witnesses = configuration.witnesses
        let pending = witnesses.indices.filter { cosignatures[latest.size]?[$0] == nil }
        let results = await withTaskGroup(of: (Int, PushResult).self) { group in
            for index in pending {
                let old = min(held[index] ?? 0, latest.size)
                group.addTask { [reader, session, logKey] in
                    (index, await Self.push(latest, old: old, to: witnesses[index], reader: reader, logKey: logKey,
                                            session: session))
                }
            }
            var collected: [(Int, PushResult)] = []
            for await result in group { collected.append(result) }
            return collected
        }
        for (index, result) in results {
            let name = witnesses[index].key.name
            switch result {
            case .cosigned(let line):
                held[index] = latest.size
                cosignatures[latest.size, default: [:]][index] = line
            case .heldSize(let size):
                held[index] = size
                logger.info("witness holds another size; retrying from it",
                            metadata: ["witness.name": "\(name)", "log.size": "\(size)"])
            case .failed(let reason):
                logger.warning("witness push failed", metadata: ["witness.name": "\(name)", "witness.reason": "\(reason)"])
            }
        }
        // Cosignatures of older checkpoints are superseded by the latest one's.
        cosignatures = cosignatures.filter { $0.key >= latest.size }
        if let lines = cosignatures[latest.size], lines.count >= configuration.quorum {
            let note = latest.note + lines.sorted { $0.key < $1.key }.map { $0.value + "\n" }.joined()
            cosigned = (latest.size, note)
        }
        recordLag(latest: latest.size)
    }

    private func recordLag(latest: Int) {
        for (index, witness) in configuration.witnesses.enumerated() {
            let size = cosignatures[latest]?[index] != nil ? latest : (held[index] ?? 0)
            Gauge(label: "vouch_witness_lag_entries", dimensions: [("witness", witness.key.name)])
                .record(max(0, latest - size))
        }
        Gauge(label: "vouch_log_cosigned_lag_entries").record(latest - (cosigned?.size ?? 0))
    }

    enum PushResult: Sendable {
        case cosigned(String)
        case heldSize(Int)
        case failed(String)
    }

    /// One `add-checkpoint` request, checked: a 200 must carry a valid cosignature by this witness's key.
    static func push(_ checkpoint: StoredCheckpoint, old: Int, to witness: WitnessConfiguration.Endpoint,
                     reader: AuditLogReader, logKey: NoteVerifier, session: URLSession) async -> PushResult {
        do {
            let proof = old == 0 || old == checkpoint.size
                ? [] : try await reader.consistencyProof(from: old, to: checkpoint.size)
            let body = AddCheckpointRequest(oldSize: old, proof: proof, note: Array(checkpoint.note.utf8)).encoded()
            var request = URLRequest(url: witness.url.appendingPathComponent("add-checkpoint"))
            request.httpMethod = "POST"
            request.httpBody = Data(body)
            let (data, response) = try await session.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let text = String(decoding: data, as: UTF8.self)
            if status == 409, let size = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), size >= 0 {
                return .heldSize(size)
            }
            guard status == 200 else { return .failed("HTTP \(status)") }
            let line = text.trimmingCharacters(in: .newlines)
            let note = try SignedNote.open(note: Array((checkpoint.note + line + "\n").utf8), verifiers: [logKey])
            guard !Cosignature.cosigners(of: note, among: [witness.key]).isEmpty else {
                return .failed("the witness answered without a valid cosignature")
            }
            return .cosigned(line)
        } catch {
            return .failed("\(error)")
        }
    }
}
