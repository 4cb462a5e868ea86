import VouchHTTP
import ArgumentParser
import Foundation
import VouchLog
import VouchStore

/// `vouch log verify`: recompute the whole tree and check every checkpoint and tile.
struct LogVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the log from its entries and check every checkpoint and tile. Exit 0 ok, 1 problems, 2 usage.",
        discussion: """
            With --data-dir: every stored checkpoint (signature, origin, order, root against the recomputed \
            tree) and every stored tile hash, in one streaming pass over one snapshot. With --url: the \
            server's latest checkpoint, its entries (GET /v1/log/entries with --key, else the public entry \
            bundles) and its tiles; add checkpoints you kept earlier with --checkpoint to prove that the \
            log only grew since. Problems name the entry index or the checkpoint (by position and size).
            """)

    @OptionGroup var source: LogSourceOptions

    @Option(help: "A signed checkpoint saved earlier (file; repeatable), checked against the log too.")
    var checkpoint: [String] = []

    @Flag(help: "Print the report as JSON.") var json = false

    @Option(help: "A witness's cosignature/v1 vkey (repeatable): with --url, the server's cosigned checkpoint must carry a quorum of them.")
    var witness: [String] = []

    @Option(help: "How many of the --witness keys must have cosigned (default: all).") var quorum: Int?

    func run() async throws {
        let log = try await source.open()
        let auditor = LogAuditor(origin: log.verifier.name, verifiers: [log.verifier])
        var saved = try checkpoint.map { path -> String in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CLIError.input("--checkpoint: cannot read \(path)")
            }
            return text
        }
        let witnessed = try await checkWitnesses(log)
        if let note = witnessed?.note { saved.append(note) }
        let findings: AuditFindings
        do {
            switch log {
            case .local(let reader, _):
                let (report, stored) = try reader.auditWithCheckpoints(auditor)
                var local = AuditFindings(report, notes: stored)
                try await local.check(saved: saved, in: reader, log: log)
                findings = local
            case .remote(let client, _):
                let (report, notes) = try await Self.audit(client, saved: saved, auditor: auditor)
                findings = AuditFindings(report, notes: notes)
            }
        } catch let error as LogFetchError {
            Console.error("vouch log verify: \(error.description)")
            throw ExitCode(1)
        }
        try finish(findings, witnessed: witnessed)
    }

    func finish(_ findings: AuditFindings, witnessed: WitnessQuorum? = nil) throws {
        if json {
            var object = findings.jsonObject
            if let witnessed { object["witnesses"] = witnessed.jsonObject }
            print(Console.json(object))
        } else {
            print(findings.text)
            if let witnessed { print(witnessed.text) }
        }
        if !findings.problems.isEmpty || witnessed?.met == false { throw ExitCode(1) }
    }

    // MARK: - Sources

    /// Audits a server: its latest checkpoint and any saved ones, its entries and its tiles.
    static func audit(_ client: LogHTTPClient, saved: [String], auditor: LogAuditor) async throws
        -> (AuditReport, [String])
    {
        let latest = try await client.text("/v1/log/checkpoint")
        var notes = saved + (latest.map { [$0] } ?? [])
        // In increasing size, so a saved checkpoint larger than the log shows up as beyond it.
        notes = notes.enumerated().sorted { a, b in
            let sa = (try? Checkpoint(text: body(of: a.element)))?.size ?? -1
            let sb = (try? Checkpoint(text: body(of: b.element)))?.size ?? -1
            return sa == sb ? a.offset < b.offset : sa < sb
        }.map(\.element)
        var size = 0
        if let latest {
            guard let checkpoint = try? Checkpoint(text: body(of: latest)) else {
                throw LogFetchError(description: "GET /v1/log/checkpoint is not a checkpoint")
            }
            size = checkpoint.size
        }
        let tiles = RemoteTiles(client: client, treeSize: size)
        var audit = auditor.start(checkpoints: notes.map { Array($0.utf8) }, tiles: tiles)
        let page = client.apiKey != nil ? AuditLogReader.maximumPageSize : TilePath.fullWidth * 4
        var start = 0
        while start < size {
            let end = min(size, start + page)
            let entries = try await client.entries(start: start, end: end, treeSize: size)
            for (offset, entry) in entries.enumerated() {
                let index = start + offset
                if index % TilePath.fullWidth == 0 { try await tiles.prefetch(block: index / TilePath.fullWidth) }
                audit.append(entry: entry)
            }
            start = end
        }
        return (audit.finish(), notes)
    }

    /// The text of a signed note, before its blank line (unverified: for ordering and display only).
    static func body(of note: String) -> String {
        guard let range = note.range(of: "\n\n", options: .backwards) else { return note }
        return String(note[..<range.lowerBound]) + "\n"
    }
}
