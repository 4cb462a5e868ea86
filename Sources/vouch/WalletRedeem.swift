import VouchHTTP
import ArgumentParser
import Foundation
import VouchCore
import VouchCrypto
import VouchHolder
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `vouch wallet redeem URL --dir D`: collects the codes of a desk's offer into a wallet directory.
///
/// The same protocol as the /wallet page: one fresh P-256 key per code plus
/// the directory's wallet key, the request signed as ``WalletMessages/redeem(offer:walletKey:keys:)``
/// says; the issuer's clock (`server_time`) is kept as the wallet's offset.
struct WalletRedeem: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeem",
        abstract: "Redeem an offer link (…/wallet#offer=…) into a wallet directory.",
        discussion: "Exit 2 when the link or the issuer refuses (the message names the field)."
    )

    @Argument(help: "The redeem link the desk showed: https://…/wallet#offer=…&batch=N") var url: String
    @OptionGroup var wallet: WalletDirectoryOptions
    @Option(help: "How many codes to ask for (default: the link's batch, else 20).") var count: Int?

    func run() async throws {
        guard let hash = url.range(of: "/wallet#") else {
            throw CLIError.input("URL: not a wallet offer link (…/wallet#offer=…)")
        }
        let service = String(url[..<hash.lowerBound])
        var fields: [String: String] = [:]
        for pair in url[hash.upperBound...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        guard let offer = fields["offer"], !offer.isEmpty else { throw CLIError.input("URL: the link has no offer") }
        let wanted = count ?? fields["batch"].flatMap { Int($0) } ?? 20
        guard (1...HolderKeys.maximumBatch).contains(wanted) else { throw CLIError.input("--count: must be 1 or more") }
        let directory = try WalletClient.run { try WalletDirectory.openOrCreate(at: wallet.dir) }
        let walletKey = try WalletClient.run { try directory.walletKey() }
        let keys = try WalletClient.run { try HolderKeys.generate(count: wanted) }
        let texts = keys.map { HolderKeys.base64URL($0.publicKey) }
        let walletText = HolderKeys.base64URL(walletKey.publicKey)
        let proof = try WalletClient.run {
            try directory.signWithWalletKey(WalletMessages.redeem(offer: offer, walletKey: walletText, keys: texts))
        }
        let answer = try await WalletClient(service: service).post("/v1/wallet/redeem", [
            "offer": offer, "wallet_key": walletText, "keys": texts, "proof": Base64URLText.encode(proof),
        ])
        try WalletClient.keep(answer, keys: keys, in: directory, service: service)
    }
}

/// `vouch wallet refresh --dir D`: tops a wallet up, signed by its wallet key with time and a nonce.
struct WalletRefresh: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Ask the issuer for more codes for a redeemed wallet.",
        discussion: "Exit 2 when the issuer refuses (a revoked wallet, a rate limit, a clock far off)."
    )

    @OptionGroup var wallet: WalletDirectoryOptions
    @Option(help: "How many codes to ask for (at most the batch size of the offer the wallet came from).") var count = 20

    func run() async throws {
        let directory = try wallet.open()
        let state = try WalletClient.run { try directory.state() }
        guard let walletID = state.walletID, let service = state.service else {
            throw CLIError.input("--dir: this wallet was never redeemed (run vouch wallet redeem first)")
        }
        guard (1...HolderKeys.maximumBatch).contains(count) else { throw CLIError.input("--count: must be 1 or more") }
        let keys = try WalletClient.run { try HolderKeys.generate(count: count) }
        let texts = keys.map { HolderKeys.base64URL($0.publicKey) }
        let time = try WalletClient.run { try directory.correctedTime() }
        let nonce = Base64URLText.encode(try SecureRandom.bytes(count: 16))
        let signature = try WalletClient.run {
            try directory.signWithWalletKey(WalletMessages.refresh(walletID: walletID, time: time, nonce: nonce, keys: texts))
        }
        let answer = try await WalletClient(service: service).post("/v1/wallet/refresh", [
            "wallet_id": walletID, "time": Int(time), "nonce": nonce, "keys": texts,
            "signature": Base64URLText.encode(signature),
        ])
        try WalletClient.keep(answer, keys: keys, in: directory, service: service)
    }
}

/// The HTTP side of the two commands.
struct WalletClient {
    let service: String

    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as WalletError {
            throw CLIError.input(error.reason)
        }
    }

    /// POSTs JSON; a problem answer becomes a `CLIError` naming its field and detail.
    func post(_ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        guard let url = URL(string: service + path), ["http", "https"].contains(url.scheme ?? "") else {
            throw CLIError.input("URL: \(service) is not an http(s) address")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        } catch {
            throw CLIError.input("cannot reach \(service): \(error.localizedDescription)")
        }
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        guard (response as? HTTPURLResponse)?.statusCode == 201 else {
            let field = (object["field"] as? String).map { "\($0): " } ?? ""
            throw CLIError.input("the issuer refused: \(field)\(object["detail"] as? String ?? object["title"] as? String ?? "HTTP error")")
        }
        return object
    }

    /// Stores the answered codes with their keys, the issuer's clock, the wallet id and the service.
    static func keep(_ answer: [String: Any], keys: [PrivateKey], in directory: WalletDirectory, service: String) throws {
        guard let walletID = answer["wallet_id"] as? String, let serverTime = answer["server_time"] as? Int,
              let codes = answer["codes"] as? [[String: Any]] else {
            throw CLIError.input("the issuer's answer is not a wallet batch")
        }
        let tokens = codes.compactMap { $0["token"] as? String }
        let added = try run { try directory.add(codes: tokens, keys: keys) }
        try run { try directory.setClockOffset(serverTime: UInt64(max(0, serverTime))) }
        try run { try directory.updateState { $0.walletID = walletID; $0.service = service } }
        print("\(added.count) code\(added.count == 1 ? "" : "s") added to the wallet")
    }
}
