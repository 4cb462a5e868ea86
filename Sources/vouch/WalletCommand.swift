import VouchHTTP
import ArgumentParser
import Foundation
import VouchCore
import VouchHolder

/// `vouch wallet present|list`: the holder's side on the command line (format.md §6).
///
/// A second implementation of presentations beside the /wallet page, for
/// scripts and tests. Redeeming an offer and refreshing talk to the HTTP
/// service and are separate commands.
struct WalletCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wallet",
        abstract: "Hold holder-bound codes in a wallet directory and present them as VCP1 text.",
        subcommands: [WalletRedeem.self, WalletRefresh.self, WalletPresent.self, WalletList.self]
    )
}

/// Which wallet directory.
struct WalletDirectoryOptions: ParsableArguments {
    @Option(help: "The wallet directory (keys and codes, each file 0600).") var dir: String

    func open() throws -> WalletDirectory {
        do {
            return try WalletDirectory(opening: dir)
        } catch {
            throw CLIError.input("\(error.reason)")
        }
    }
}

struct WalletPresent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "present",
        abstract: "Print a freshly signed VCP1 presentation of the next unused code, then delete that code.",
        discussion: """
            The presentation's time t is this machine's clock plus the offset learned from the issuer. \
            Exit 1 when no unused, unexpired code is left.
            """
    )

    @OptionGroup var wallet: WalletDirectoryOptions
    @Option(help: "Only codes proving at least this age (age codes, the lowest that does).") var over: Int?
    @Option(help: "Only concession codes with this status (student, senior, ...).") var concession: String?
    @Flag(help: "Keep the code in the wallet after presenting it (for tests that show one code twice).")
    var keep = false

    func run() throws {
        let directory = try wallet.open()
        switch Self.present(directory, filter: filter, lowestOnly: over != nil, keep: keep) {
        case .success(let presentation):
            print(presentation.text)
        case .failure(let error) where error.code == .empty:
            Console.error("vouch wallet present: \(error.reason)")
            throw ExitCode(1)
        case .failure(let error):
            throw CLIError.input(error.reason)
        }
    }

    /// Which codes may be shown, from `--over` or `--concession`.
    var filter: @Sendable (Claims) -> Bool {
        if let over { return { $0.type == .age && ($0.ageOver.max() ?? 0) >= over } }
        if let concession { return { $0.type == .concession && $0.concession == concession } }
        return { _ in true }
    }

    /// Presents the first matching code; with `lowestOnly`, among those of the lowest threshold
    /// (an 18 code for a beer, not the 21).
    static func present(_ directory: WalletDirectory, filter: @escaping @Sendable (Claims) -> Bool, lowestOnly: Bool,
                        keep: Bool) -> Result<Presentation, WalletError> {
        do {
            let t = try directory.correctedTime()
            let lowest = try directory.codes().filter { $0.claims.expiresAt > t && filter($0.claims) }
                .map { $0.claims.ageOver.max() ?? 0 }.min()
            let choose: (Claims) -> Bool = { claims in
                filter(claims) && (!lowestOnly || (claims.ageOver.max() ?? 0) == lowest)
            }
            return .success(try directory.present(keep: keep, matching: choose).0)
        } catch {
            return .failure(error)
        }
    }
}

struct WalletList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Count the codes in a wallet by claim (no keys, no personal data)."
    )

    @OptionGroup var wallet: WalletDirectoryOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let summary: WalletSummary
        do {
            summary = try wallet.open().summary()
        } catch let error as WalletError {
            throw CLIError.input("\(error.reason)")
        }
        if json {
            var out: [String: Any] = ["codes": summary.usable, "expired": summary.expired,
                                      "clock_offset": summary.clockOffset]
            out["wallet_id"] = summary.walletID ?? NSNull()
            print(Console.json(out))
            return
        }
        let total = summary.usable.values.reduce(0, +)
        print("\(total) code\(total == 1 ? "" : "s") ready" + (summary.expired > 0 ? ", \(summary.expired) expired" : ""))
        for claim in summary.usable.keys.sorted() { print("  \(summary.usable[claim]!)  \(claim)") }
        if summary.clockOffset != 0 { print("clock offset to the issuer: \(summary.clockOffset) s") }
    }
}
