public import Foundation
import VouchCore
public import VouchCrypto

/// A holder's wallet on disk: `wallet.key`, `state.json`, and `codes/NNNNNN.vch1` with `codes/NNNNNN.key`.
///
/// Every file is 0600 and the directories 0700. A code's key is written
/// before its code, and the code removed before its key, so a crash never
/// leaves a code that cannot be presented. A code is removed once presented
/// (format.md §6: one showing per code), which is the wallet's "shown" mark:
/// a shown code is gone, not flagged.
public struct WalletDirectory: Sendable {
    public let path: String
    var statePath: String { path + "/state.json" }
    var walletKeyPath: String { path + "/wallet.key" }
    var codesPath: String { path + "/codes" }

    /// Opens an existing wallet directory.
    ///
    /// - Throws: ``WalletError`` `.invalidDirectory` when it holds no wallet.
    public init(opening path: String) throws(WalletError) {
        self.path = path
        guard WalletFiles.exists(walletKeyPath), WalletFiles.exists(statePath), WalletFiles.exists(codesPath) else {
            throw WalletError(.invalidDirectory, "\(path) is not a wallet directory (no wallet.key, state.json, codes/)")
        }
    }

    private init(unchecked path: String) { self.path = path }

    /// Creates a wallet directory with a fresh wallet key.
    ///
    /// - Throws: ``WalletError`` `.io`, also when the directory already holds a wallet.
    public static func create(at path: String) throws(WalletError) -> WalletDirectory {
        let wallet = WalletDirectory(unchecked: path)
        try WalletFiles.makeDirectory(path)
        guard !WalletFiles.exists(wallet.walletKeyPath) else {
            throw WalletError(.io, "\(path) already holds a wallet")
        }
        try WalletFiles.makeDirectory(wallet.codesPath)
        let key = try HolderKeys.generate()
        try WalletFiles.create(wallet.walletKeyPath, Array(key.pemRepresentation.utf8))
        try wallet.write(WalletState())
        return wallet
    }

    /// Opens the wallet at `path`, creating it when the directory holds none.
    public static func openOrCreate(at path: String) throws(WalletError) -> WalletDirectory {
        if let wallet = try? WalletDirectory(opening: path) { return wallet }
        return try create(at: path)
    }

    // MARK: Wallet key and state

    /// The wallet key, which signs redeem and refresh requests.
    public func walletKey() throws(WalletError) -> PrivateKey {
        try Self.loadKey(walletKeyPath)
    }

    /// Signs `message` with the wallet key (ES256, r||s).
    public func signWithWalletKey(_ message: [UInt8]) throws(WalletError) -> [UInt8] {
        try HolderKeys.sign(message, with: walletKey())
    }

    public func state() throws(WalletError) -> WalletState {
        let bytes = try WalletFiles.read(statePath)
        do {
            return try JSONDecoder().decode(WalletState.self, from: Data(bytes))
        } catch {
            throw WalletError(.invalidDirectory, "\(statePath) is damaged")
        }
    }

    /// Changes the state and writes it back atomically.
    public func updateState(_ change: (inout WalletState) -> Void) throws(WalletError) {
        var state = try state()
        change(&state)
        try write(state)
    }

    /// Seconds to add to this device's clock to get the issuer's.
    public func clockOffset() throws(WalletError) -> Int64 { try state().clockOffset }

    /// Records the issuer's clock as learned at a redeem or refresh.
    public func setClockOffset(serverTime: UInt64, localTime: Date = Date()) throws(WalletError) {
        let offset = Int64(clamping: serverTime) - Int64(localTime.timeIntervalSince1970.rounded(.down))
        try updateState { $0.clockOffset = offset }
    }

    private func write(_ state: WalletState) throws(WalletError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(state) else { throw WalletError(.io, "cannot encode the wallet state") }
        try WalletFiles.replace(statePath, [UInt8](data))
    }

    static func loadKey(_ path: String) throws(WalletError) -> PrivateKey {
        let bytes = try WalletFiles.read(path)
        guard let key = try? PrivateKey(pemRepresentation: String(decoding: bytes, as: UTF8.self)),
              key.algorithm == .es256
        else { throw WalletError(.invalidDirectory, "\(path) is not a P-256 private key") }
        return key
    }
}
