import ArgumentParser
import Foundation
import VouchCore
import VouchCrypto
import VouchLog
import VouchVerifier

/// `vouch log check-receipt CODE`: proves that a code's log receipt is kept.
///
/// A receipt (format.md §7) is the log's signed promise that the code's entry
/// is at `index`. This command holds the log to it: it fetches the inclusion
/// proof for `index` against a signed checkpoint and checks that the entry
/// proven there is the code's `issued` entry. When the receipt verifies under
/// the log's receipt key but the index holds another entry, the receipt is
/// evidence that the log lied, and the command says so.
struct LogCheckReceipt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-receipt",
        abstract: "Prove a code's log receipt: its index holds this code's entry. Exit 0 kept, 1 not, 2 usage.",
        discussion: """
            The receipt's signature is checked under --receipt-key (a receipt key file: an "Origin:" line and \
            a PUBLIC KEY PEM, as in Certs/receipts/), else under the data directory's certs/receipt.pem when \
            there is one. Then the inclusion proof of the receipt's index is checked against the log's signed \
            checkpoint (see `vouch log --help` for --vkey), and the entry there must be this code's issued \
            entry (its token hash: SHA-256 of the code with an empty unprotected header). A verified receipt \
            whose index holds another entry is proof that the log lied: the report says "log_lied": true.
            """)

    @OptionGroup var source: LogSourceOptions
    @Argument(help: "The VCH1 text of the code, or - to read it from standard input.") var code: String
    @Option(help: "The log's receipt key file (\"Origin:\" line and PUBLIC KEY PEM).") var receiptKey: String?

    func run() async throws {
        let text = try Console.readText(code).trimmingCharacters(in: .whitespacesAndNewlines)
        let decoded: DecodedAttestation
        do {
            decoded = try DecodedAttestation(text: text)
        } catch {
            throw CLIError.input("CODE is not a VCH1 code: \(error.reason)")
        }
        guard let receipt = decoded.receipt else {
            Console.error("vouch log check-receipt: the code carries no log receipt")
            print(Console.json(["receipt": false, "kept": false]))
            throw ExitCode(1)
        }
        let tokenHash = Digest.sha256(decoded.sign1.loggedBytes)
        var report: [String: Any] = ["receipt": true, "index": receipt.index, "time": receipt.time,
                                     "token_hash": tokenHash.hexString]
        let key = try loadReceiptKey()
        let signed = key.map { $0.isValid(receipt, tokenHash: tokenHash) }
        report["receipt_signature"] = signed.map { $0 ? "valid" : "invalid" } ?? "not checked (no receipt key)"
        let log = try await source.open()
        do {
            guard let (note, latest) = try await log.latestCheckpoint() else {
                throw LogFetchError(description: "the log is empty: it holds no entry \(receipt.index)")
            }
            report["latest_checkpoint"] = note
            guard receipt.index < UInt64(latest.size) else {
                report["kept"] = false
                report["problem"] = "entry \(receipt.index) is not in the latest checkpoint (size \(latest.size))"
                return try finish(report, lied: false)
            }
            let index = Int(receipt.index)
            let proved = try await log.proveInclusion(index: index, size: latest.size, latest: latest)
            report["inclusion"] = proved
            let entry = proved["entry"] as? [String: Any]
            let holdsCode = entry?["token"] as? String == tokenHash.hexString && entry?["event"] as? String == "issued"
            let proven = proved["verified"] as? Bool == true
            report["kept"] = proven && holdsCode
            if !proven {
                report["problem"] = "the log's inclusion proof for entry \(index) does not verify"
            } else if !holdsCode {
                report["problem"] = "entry \(index) holds another entry, not this code's issued entry"
            }
            // A proven entry that is not the code's, under a receipt the log's key signed: the log broke its word.
            return try finish(report, lied: proven && !holdsCode && signed == true)
        } catch let error as LogFetchError {
            Console.error("vouch log check-receipt: \(error.description)")
            throw ExitCode(1)
        }
    }

    private func finish(_ report: [String: Any], lied: Bool) throws {
        var report = report
        report["log_lied"] = lied
        print(Console.json(report))
        if lied {
            Console.error("vouch log check-receipt: THE LOG LIED: its receipt key signed that entry "
                          + "\(report["index"] ?? "") holds this code, and the log proves it holds another")
            throw ExitCode(1)
        }
        guard report["kept"] as? Bool == true else {
            Console.error("vouch log check-receipt: receipt NOT kept: \(report["problem"] ?? "")")
            throw ExitCode(1)
        }
        if report["receipt_signature"] as? String == "invalid" {
            Console.error("vouch log check-receipt: the entry is in the log, but the receipt's signature is not "
                          + "the receipt key's")
            throw ExitCode(1)
        }
    }

    /// The receipt key to check the signature under: --receipt-key, else the data directory's.
    private func loadReceiptKey() throws -> ReceiptKey? {
        let path = receiptKey ?? (source.url == nil ? source.data.url.appendingPathComponent("certs/receipt.pem").path : nil)
        guard let path else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            if receiptKey == nil { return nil }
            throw CLIError.input("--receipt-key: cannot read \(path)")
        }
        do {
            return try ReceiptKey(fileText: String(decoding: data, as: UTF8.self))
        } catch {
            throw CLIError.input("--receipt-key \(path): \(error.reason)")
        }
    }
}
