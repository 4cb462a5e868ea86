internal import Foundation
internal import GRDB
internal import VouchCore

/// The body of one group-commit transaction, run on GRDB's writer queue.
enum BatchTransaction {
    /// Applies every job in its own savepoint, then writes tiles and one checkpoint.
    ///
    /// - Returns: One result per job; a rejected job left nothing behind.
    /// - Throws: When the transaction as a whole cannot go on; GRDB then rolls it back.
    static func run(_ db: Database, jobs: [[Operation]], sequencer: inout LogSequencer,
                    signer: CheckpointSigner, receipts: ReceiptSigner, time: Date) throws -> [Result<JobOutcome, StoreError>] {
        try sequencer.checkStoredSize(db)
        let startSize = sequencer.size
        var results: [Result<JobOutcome, StoreError>] = []
        results.reserveCapacity(jobs.count)
        for operations in jobs {
            let snapshot = sequencer
            var outcomes: [OperationOutcome] = []
            do {
                try db.inSavepoint {
                    for operation in operations {
                        outcomes.append(try apply(operation, db, &sequencer, receipts))
                    }
                    return .commit
                }
                results.append(.success(JobOutcome(operations: outcomes)))
            } catch let error where isRejection(error) {
                sequencer = snapshot
                results.append(.failure(StoreError.converting(error, "rejected", file: #fileID, line: #line)))
            }
        }
        if sequencer.size > startSize {
            try sequencer.writeTiles(db)
            let note = try signer.sign(size: sequencer.size, root: sequencer.root(db))
            try db.execute(
                sql: "INSERT INTO checkpoints (size, note, created_at) VALUES (?, ?, ?)",
                arguments: [sequencer.size, note, time.unixSeconds])
        }
        return results
    }

    /// Whether an error concerns one job only; anything else aborts the batch.
    private static func isRejection(_ error: any Error) -> Bool {
        if let error = error as? StoreError {
            return [.invalidInput, .duplicate, .notFound, .invalidTransition, .expired, .rateLimited].contains(error.code)
        }
        if let error = error as? DatabaseError {
            return error.resultCode == .SQLITE_CONSTRAINT
        }
        return false
    }

    private static func apply(_ operation: Operation, _ db: Database, _ sequencer: inout LogSequencer,
                              _ receipts: ReceiptSigner) throws -> OperationOutcome {
        switch operation {
        case .issue(let item):
            return try issue(item, db, &sequencer, receipts)
        case .transition(let id, let target, let time):
            return try transition(id: id, to: target, time: time, db, &sequencer)
        case .key(let event):
            let index = try sequencer.append(LogEntryCodec.key(event), db)
            return .keyLogged(index: index)
        case .receiptKey(let event):
            return try logReceiptKey(event, db, &sequencer)
        case .openWallet(let opening):
            return try openWallet(opening, db)
        case .walletCode(let code, let wallet):
            return try walletCode(code, wallet: wallet, db, &sequencer, receipts)
        case .refreshWallet(let refresh):
            return try refreshWallet(refresh, db)
        case .revokeWallet(let id, let time):
            return try revokeWallet(id: id, time: time, db, &sequencer)
        }
    }

    static func issue(_ item: PendingAttestation, _ db: Database, _ sequencer: inout LogSequencer,
                      _ receipts: ReceiptSigner) throws -> OperationOutcome {
        try item.validate()
        let id = item.id
        func exists(_ sql: String, _ arguments: StatementArguments) throws -> Bool {
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (\(sql))"), arguments: arguments) ?? false
        }
        if try exists("SELECT 1 FROM attestations WHERE id = ?", [id]) {
            throw StoreError(code: .duplicate, reason: "attestation \(id) is already recorded")
        }
        if try exists("SELECT 1 FROM attestations WHERE token_hash = ?", [Data(item.tokenHash)]) {
            throw StoreError(code: .duplicate, reason: "a token with the same hash is already recorded")
        }
        if let slot = item.statusSlot,
           try exists("SELECT 1 FROM attestations WHERE status_list = ? AND status_idx = ?", [slot.list, slot.index]) {
            throw StoreError(code: .duplicate, reason: "status slot \(slot.list)/\(slot.index) is already used")
        }
        // The entry goes first: attestations.log_index references it.
        let index = try sequencer.append(LogEntryCodec.issued(item), db)
        try db.cachedStatement(
            sql: """
                INSERT INTO attestations (id, kid, vct, token_hash, issued_at, expires_at,
                                          status_list, status_idx, subject, state, log_index)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'valid', ?)
                """
        ).execute(
            arguments: [
                id, Data(item.kid), item.vct.rawValue, Data(item.tokenHash), item.issuedAt.unixSeconds,
                item.expiresAt.unixSeconds, item.statusSlot?.list, item.statusSlot?.index,
                item.subject.map { Data($0) }, index,
            ])
        // The receipt's time is the entry's (the signed iat): it adds no precision the log does not show.
        let receipt = try receipts.sign(index: index, time: UInt64(item.issuedAt.unixSeconds), tokenHash: item.tokenHash)
        return .issued(id: id, index: index, receipt: receipt)
    }

    /// Appends a receipt key's `key_added` entry once per key; later calls return its index.
    private static func logReceiptKey(_ event: KeyEvent, _ db: Database,
                                      _ sequencer: inout LogSequencer) throws -> OperationOutcome {
        if let index = try Int.fetchOne(db, sql: "SELECT log_index FROM receipt_keys WHERE key_hash = ?",
                                        arguments: [Data(event.certificateHash)]) {
            return .keyLogged(index: index)
        }
        let index = try sequencer.append(LogEntryCodec.key(event), db)
        try db.execute(sql: "INSERT INTO receipt_keys (key_hash, log_index) VALUES (?, ?)",
                       arguments: [Data(event.certificateHash), index])
        return .keyLogged(index: index)
    }

    static func transition(id: String, to target: AttestationState, time: Date, _ db: Database,
                                   _ sequencer: inout LogSequencer) throws -> OperationOutcome {
        guard let record = try AttestationRecord.fetch(db, id: id) else {
            throw StoreError(code: .notFound, reason: "no attestation \(id)")
        }
        let previous = record.state
        if previous == target {
            return .transitioned(id: id, previous: previous, state: previous, slot: record.statusSlot, index: nil)
        }
        guard previous != .revoked else {
            throw StoreError(code: .invalidTransition, reason: "attestation \(id) is revoked; revocation is final")
        }
        try db.execute(sql: "UPDATE attestations SET state = ? WHERE id = ?", arguments: [target.rawValue, id])
        let entry = try LogEntryCodec.transition(record, to: target, time: time)
        let index = try sequencer.append(entry, db)
        return .transitioned(id: id, previous: previous, state: target, slot: record.statusSlot, index: index)
    }
}
