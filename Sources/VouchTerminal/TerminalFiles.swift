import Foundation
import VouchHTTP

/// The files a terminal keeps in `DATA/terminal/`, so that it restarts with
/// its last good data even when the upstream is down.
///
/// - `trust.cose`: the last signed trust bundle accepted, as received
///   (re-verified on every start).
/// - `state.json`: when it last synced, the clock floor, ETags.
/// - `status/`: status list tokens, kept by the status cache.
/// - `checkpoint.txt`: the last log checkpoint with the witness quorum, as
///   received (re-verified against the bundle on every start).
///
/// Every write goes to a temporary file that is renamed over the old one, so
/// a crash leaves the old file or the new one.
struct TerminalFiles: Sendable {
    let directory: URL

    var bundleFile: URL { directory.appendingPathComponent("trust.cose") }
    var stateFile: URL { directory.appendingPathComponent("state.json") }
    var statusDirectory: URL { directory.appendingPathComponent("status", isDirectory: true) }
    var checkpointFile: URL { directory.appendingPathComponent("checkpoint.txt") }

    init(dataDirectory: URL) throws {
        directory = dataDirectory.appendingPathComponent("terminal", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: statusDirectory, withIntermediateDirectories: true)
    }

    /// What `state.json` holds.
    struct Persisted: Sendable, Equatable {
        var syncedAt: Date?
        var clockFloor = Date(timeIntervalSince1970: 0)
        var etag: String?
        var statusSyncedAt: Date?
        var statusETags: [String: String] = [:]
        /// When the kept checkpoint's quorum was checked.
        var checkpointVerifiedAt: Date?
        /// Since when every checkpoint the upstream served lacked the witness quorum; `nil` while it has it.
        var quorumLackingSince: Date?
    }

    func readBundle() -> [UInt8]? {
        guard let data = try? Data(contentsOf: bundleFile) else { return nil }
        return [UInt8](data)
    }

    func writeBundle(_ bytes: [UInt8]) throws {
        try Data(bytes).write(to: bundleFile, options: .atomic)
    }

    func readCheckpoint() -> [UInt8]? {
        guard let data = try? Data(contentsOf: checkpointFile) else { return nil }
        return [UInt8](data)
    }

    func writeCheckpoint(_ note: [UInt8]) throws {
        try Data(note).write(to: checkpointFile, options: .atomic)
    }

    /// The kept state; defaults when the file is missing or unreadable.
    func readState() -> Persisted {
        guard let data = try? Data(contentsOf: stateFile),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return Persisted() }
        func date(_ key: String) -> Date? {
            (object[key] as? NSNumber).map { Date(timeIntervalSince1970: $0.doubleValue) }
        }
        var persisted = Persisted()
        persisted.syncedAt = date("synced_at")
        persisted.clockFloor = date("clock_floor") ?? Date(timeIntervalSince1970: 0)
        persisted.etag = object["etag"] as? String
        persisted.statusSyncedAt = date("status_synced_at")
        persisted.statusETags = object["status_etags"] as? [String: String] ?? [:]
        persisted.checkpointVerifiedAt = date("checkpoint_verified_at")
        persisted.quorumLackingSince = date("witness_quorum_lacking_since")
        return persisted
    }

    func writeState(_ persisted: Persisted) throws {
        var object: [String: Any] = [
            "clock_floor": Int64(persisted.clockFloor.timeIntervalSince1970.rounded(.down)),
            "status_etags": persisted.statusETags,
        ]
        if let syncedAt = persisted.syncedAt { object["synced_at"] = syncedAt.timeIntervalSince1970 }
        if let etag = persisted.etag { object["etag"] = etag }
        if let status = persisted.statusSyncedAt { object["status_synced_at"] = status.timeIntervalSince1970 }
        if let verified = persisted.checkpointVerifiedAt {
            object["checkpoint_verified_at"] = verified.timeIntervalSince1970
        }
        if let lacking = persisted.quorumLackingSince {
            object["witness_quorum_lacking_since"] = lacking.timeIntervalSince1970
        }
        try Data(JSON.encode(object)).write(to: stateFile, options: .atomic)
    }
}
