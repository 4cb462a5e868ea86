public import Foundation
public import VouchHTTP
public import VouchLog

/// The witnesses a log pushes its checkpoints to, and how many must cosign.
///
/// `VOUCH_WITNESSES` lists them as `URL VKEY` pairs separated by commas
/// (`http://127.0.0.1:9001 w1.example+1a2b3c4d+BA..., http://...`), where the
/// vkey is the witness's cosignature/v1 key (`GET /witness/key`);
/// `VOUCH_WITNESS_QUORUM` is how many distinct witnesses make a checkpoint
/// cosigned (default: all of them); `VOUCH_WITNESS_TIMEOUT` bounds each push
/// in seconds (default 5).
public struct WitnessConfiguration: Sendable {
    /// One witness: where to push, and the key its cosignatures verify under.
    public struct Endpoint: Sendable, Hashable {
        public let url: URL
        public let key: Cosignature.Verifier

        public init(url: URL, key: Cosignature.Verifier) {
            self.url = url
            self.key = key
        }
    }

    public var witnesses: [Endpoint]
    public var quorum: Int
    public var timeout: TimeInterval
    /// Seconds between looks at the log for a new checkpoint.
    public var interval: TimeInterval

    public init(witnesses: [Endpoint], quorum: Int? = nil, timeout: TimeInterval = 5, interval: TimeInterval = 0.5) {
        self.witnesses = witnesses
        self.quorum = quorum ?? witnesses.count
        self.timeout = timeout
        self.interval = interval
    }

    /// - Returns: `nil` when `VOUCH_WITNESSES` is unset or empty (no witnesses).
    /// - Throws: ``ConfigurationError`` naming the malformed variable.
    public static func read(settings: VouchSettings) throws(ConfigurationError) -> WitnessConfiguration? {
        guard let list = try settings.string(.witnesses)?.trimmingCharacters(in: .whitespaces), !list.isEmpty else {
            return nil
        }
        var witnesses: [Endpoint] = []
        for item in list.split(separator: ",") {
            let parts = item.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, let url = URL(string: String(parts[0])),
                  ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
            else {
                throw settings.invalid(.witnesses, "each witness is \"URL VKEY\", comma-separated")
            }
            do {
                witnesses.append(Endpoint(url: url, key: try Cosignature.Verifier(vkey: String(parts[1]))))
            } catch {
                throw settings.invalid(.witnesses, "witness key: \(error.reason)")
            }
        }
        guard Set(witnesses.map(\.key)).count == witnesses.count else {
            throw settings.invalid(.witnesses, "a witness key is listed twice")
        }
        var quorum = witnesses.count
        if let value = try settings.integer(.witnessQuorum) {
            guard (1...witnesses.count).contains(value) else {
                throw settings.invalid(.witnessQuorum, "must be 1 to \(witnesses.count)")
            }
            quorum = value
        }
        var timeout: TimeInterval = 5
        if let value = try settings.number(.witnessTimeout) {
            guard value.isFinite, value > 0, value <= 120 else {
                throw settings.invalid(.witnessTimeout, "must be 0 to 120 seconds")
            }
            timeout = value
        }
        return WitnessConfiguration(witnesses: witnesses, quorum: quorum, timeout: timeout)
    }
}

/// The witness role's settings: its key name (`VOUCH_WITNESS_NAME`, default
/// `vouch-witness`) and the logs it follows (`VOUCH_WITNESS_LOGS`: the logs'
/// note vkeys, as `GET /v1/log/key` serves them, comma-separated).
public struct WitnessRoleConfiguration: Sendable {
    public var name: String
    public var logs: [NoteVerifier]

    /// - Throws: ``ConfigurationError`` naming the malformed variable.
    public init(settings: VouchSettings) throws(ConfigurationError) {
        name = try settings.string(.witnessName) ?? "vouch-witness"
        let list = try settings.string(.witnessLogs) ?? ""
        logs = []
        for vkey in list.split(separator: ",") {
            do {
                logs.append(try NoteVerifier(vkey: vkey.trimmingCharacters(in: .whitespaces)))
            } catch {
                throw settings.invalid(.witnessLogs, "log key: \(error.reason)")
            }
        }
        guard !logs.isEmpty else {
            throw settings.invalid(.witnessLogs, "a witness needs the vkey of at least one log")
        }
    }
}
