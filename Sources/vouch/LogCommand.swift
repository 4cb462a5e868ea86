import VouchHTTP
import ArgumentParser
import Foundation
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchLog
import VouchServer
import VouchStore

/// `vouch log verify|proof|show`: audit the transparency log, locally or over HTTP.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Audit the transparency log: recompute and check it, prove entries, find a code's entry.",
        discussion: """
            Each command reads a data directory (--data-dir, default $VOUCH_DATA_DIR or ./data) or a running \
            server (--url). Checkpoints are checked against the log's verifier key: --vkey pins it (the text \
            of GET /v1/log/key, or a file holding it); without it the data directory's log key is used, or \
            the key the server serves, which is then trusted on first use. Exit codes: 0 ok, 1 problems \
            found (or not proven), 2 usage or input error.
            """,
        subcommands: [LogVerify.self, LogProof.self, LogShow.self, LogCheckReceipt.self])
}

/// Where the log is read from, and the key its checkpoints must verify under.
struct LogSourceOptions: ParsableArguments {
    @Option(help: "A Vouch server's base URL, e.g. http://127.0.0.1:8080 (instead of a data directory).")
    var url: String?

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "The log's C2SP verifier key (vkey text, or a file holding it).")
    var vkey: String?

    @Option(help: "The checkpoint origin for the data directory's key (default: $VOUCH_LOG_ORIGIN or vouch.localhost/log).")
    var origin: String?

    @Option(help: "An API key with the audit scope, for GET /v1/log/entries with --url (default: $VOUCH_API_KEY); without one the public entry bundles are read.")
    var key: String?

    func validate() throws {
        if url != nil, data.dataDirectory != nil {
            throw ValidationError("give either --url or --data-dir, not both")
        }
    }

    /// Opens the log and its verifier key.
    func open() async throws -> LogSource {
        if let url {
            let client = try LogHTTPClient(url: url, apiKey: key ?? Settings.string(.apiKey))
            if let vkey { return .remote(client, try Self.verifier(vkey)) }
            let served = try await client.text("/v1/log/key")
            guard let served else { throw CLIError.input("\(url) serves no /v1/log/key; pass --vkey") }
            Console.error("vouch log: trusting the key the server serves (\(Self.firstLine(served))); pin it with --vkey")
            return .remote(client, try Self.verifier(served))
        }
        if let database = Settings.string(.databaseURL), !database.isEmpty {
            // The log of a PostgreSQL store is read through a node, which serves exactly what it signed.
            throw CLIError.input("database_url (VOUCH_DATABASE_URL) is set, and `vouch log` without --url reads only "
                                 + "a data directory's SQLite log: pass --url http://NODE:PORT of a node on that database")
        }
        let directory = data.url
        let file = directory.appendingPathComponent(VouchDatabase.fileName)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw CLIError.input("no log in \(directory.path): \(VouchDatabase.fileName) does not exist")
        }
        let reader = AuditLogReader(database: try VouchDatabase(dataDirectory: directory))
        if let vkey { return .local(reader, try Self.verifier(vkey)) }
        let keyFile = IssuerKeys.Layout(directory: directory).logKey
        guard FileManager.default.fileExists(atPath: keyFile.path) else {
            throw CLIError.input("no log key at \(keyFile.path); pass --vkey")
        }
        // The origin `vouch serve` signs with here: VOUCH_LOG_ORIGIN, else its default.
        let configured = try? ServerConfiguration(settings: Settings.current)
        let name = origin ?? configured?.logOrigin ?? ServerConfiguration(host: "127.0.0.1").logOrigin
        do {
            let key = try PrivateKey.load(fromPEMFile: keyFile.path)
            return .local(reader, try NoteVerifier(name: name, publicKey: key.publicKey))
        } catch let error as LogError {
            throw CLIError.input("log key or origin unusable: \(error.reason)")
        }
    }

    /// A vkey given as text or as the path of a file holding it.
    static func verifier(_ argument: String) throws -> NoteVerifier {
        var text = argument
        if FileManager.default.fileExists(atPath: argument) {
            guard let contents = try? String(contentsOfFile: argument, encoding: .utf8) else {
                throw CLIError.input("--vkey: cannot read \(argument)")
            }
            text = contents
        }
        do {
            return try NoteVerifier(vkey: firstLine(text))
        } catch {
            throw CLIError.input("--vkey: \(error.reason)")
        }
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).first ?? "").trimmingCharacters(in: .whitespaces)
    }
}

/// An opened log: a local store, or a server over HTTP.
enum LogSource {
    case local(AuditLogReader, NoteVerifier)
    case remote(LogHTTPClient, NoteVerifier)

    var verifier: NoteVerifier {
        switch self {
        case .local(_, let verifier), .remote(_, let verifier): return verifier
        }
    }

    /// Opens a signed checkpoint under the log's key and origin.
    func open(_ note: String) throws(LogError) -> Checkpoint {
        try Checkpoint.open(note: Array(note.utf8), verifiers: [verifier], origin: verifier.name)
    }
}

/// JSON forms shared by the log commands.
enum LogJSON {
    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// An entry's fields, with hashes and key ids in hex (as `GET /v1/log/entries` shows them).
    static func entry(index: Int, bytes: [UInt8]) -> [String: Any] {
        var object: [String: Any] = ["index": index, "entry": base64(bytes),
                                     "leaf_hash": MerkleHash.leaf(bytes).hexString]
        guard let entry = try? LogEntry(cbor: bytes) else {
            object["malformed"] = true
            return object
        }
        object["event"] = entry.event.rawValue
        object["time"] = entry.time
        object["kid"] = entry.kid.hexString
        if let token = entry.token { object["token"] = token.hexString }
        if let type = entry.type { object["vct"] = type.rawValue }
        if let status = entry.status {
            object["status_list"] = status.list
            object["status_idx"] = status.index
        }
        if let subject = entry.subject { object["subject"] = subject.hexString }
        if let certificate = entry.certificate { object["cert"] = certificate.hexString }
        return object
    }
}
