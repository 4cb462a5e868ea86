internal import Foundation
internal import VouchCore

/// One operation handed to the ``IssuanceWriter``.
enum Operation: Sendable {
    case issue(PendingAttestation)
    case transition(id: String, to: AttestationState, time: Date)
    case key(KeyEvent)
    /// A receipt key's `key_added` event, written once per key.
    case receiptKey(KeyEvent)
    case openWallet(WalletOpening)
    case walletCode(WalletCode, wallet: String)
    case refreshWallet(WalletRefresh)
    case revokeWallet(id: String, time: Date)
}

/// What one operation did, before the batch's tree size is known.
enum OperationOutcome: Sendable {
    case issued(id: String, index: Int, receipt: LogReceipt)
    case transitioned(id: String, previous: AttestationState, state: AttestationState, slot: StatusSlot?, index: Int?)
    case keyLogged(index: Int)
    case walletOpened(id: String)
    case walletRefreshed(id: String)
    indirect case walletRevoked(id: String, wasRevoked: Bool, changes: [OperationOutcome])
}

/// The outcomes of one caller's operations.
struct JobOutcome: Sendable {
    var operations: [OperationOutcome]
    var treeSize = 0

    func finished(treeSize: Int) -> JobOutcome {
        var copy = self
        copy.treeSize = treeSize
        return copy
    }

    func issued() throws -> [CommittedAttestation] {
        try operations.map { outcome in
            guard case let .issued(id, index, receipt) = outcome else { throw Self.mismatch }
            return CommittedAttestation(id: id, logIndex: index, receipt: receipt, treeSize: treeSize)
        }
    }

    func stateChange() throws -> StateChange {
        guard operations.count == 1 else { throw Self.mismatch }
        return try stateChange(operations[0])
    }

    private func stateChange(_ outcome: OperationOutcome) throws -> StateChange {
        guard case let .transitioned(id, previous, state, slot, index) = outcome else { throw Self.mismatch }
        return StateChange(id: id, previous: previous, state: state, statusSlot: slot, logIndex: index,
                           treeSize: treeSize)
    }

    /// The codes of a redeem or refresh job (its first operation opens or refreshes the wallet).
    func walletCodes() throws -> [CommittedAttestation] {
        try JobOutcome(operations: Array(operations.dropFirst()), treeSize: treeSize).issued()
    }

    func walletRevocation() throws -> WalletRevocation {
        guard operations.count == 1, case let .walletRevoked(id, wasRevoked, changes) = operations[0] else {
            throw Self.mismatch
        }
        return WalletRevocation(walletID: id, wasRevoked: wasRevoked, changes: try changes.map(stateChange))
    }

    func position() throws -> LogPosition {
        guard operations.count == 1, case let .keyLogged(index) = operations[0] else { throw Self.mismatch }
        return LogPosition(index: index, treeSize: treeSize)
    }

    private static let mismatch = StoreError(code: .corrupt, reason: "writer returned an outcome of another kind")
}
