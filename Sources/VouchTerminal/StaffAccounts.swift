public import Foundation
import Synchronization
public import VouchCrypto

/// The staff of one terminal: ids and PBKDF2-HMAC-SHA256 hashes of their
/// PINs, in `DATA/terminal/staff.json` (0600), with each account's failed
/// tries and lockout, so a restart does not reset a lockout.
///
/// A PIN itself is never stored or logged. A check of an unknown id costs
/// the same derivation as a real one and fails the same way, so the answer
/// does not tell which ids exist. After ``maximumTries`` wrong PINs in a row
/// the account is locked for 30 s, doubling with every further wrong PIN, at
/// most an hour; while locked even the right PIN is refused.
public final class StaffAccounts: Sendable {
    /// Wrong PINs allowed in a row before the account locks.
    public static let maximumTries = 5
    static let firstLockout: TimeInterval = 30
    static let longestLockout: TimeInterval = 3600

    public let file: URL
    private let state: Mutex<[String: StaffRecord]>

    /// Reads the staff file in `directory` (`staff.json`), or starts empty when there is none.
    ///
    /// - Throws: ``StaffError`` `.corrupt` for a file that does not parse:
    ///   refusing to start beats running with no staff.
    public init(directory: URL) throws {
        file = directory.appendingPathComponent("staff.json")
        state = Mutex(try StaffRecord.read(file))
    }

    /// The configured staff ids, sorted.
    public var ids: [String] { state.withLock { $0.keys.sorted() } }

    /// Adds `id` with `pin`, or replaces its PIN when `replace` is set (clearing its lockout).
    ///
    /// - Throws: ``StaffError`` for an id or PIN of the wrong form, an id that
    ///   exists without `replace`, or a file that cannot be written.
    public func add(id: String, pin: String, iterations: Int = PBKDF2.recommendedIterations,
                    replace: Bool = false) throws {
        try StaffRecord.validate(id: id)
        try StaffRecord.validate(pin: pin)
        if !replace, state.withLock({ $0[id] != nil }) {
            throw StaffError(.exists, "staff id \(id) exists; use --replace to set a new PIN")
        }
        let record = try StaffRecord.make(id: id, pin: pin, iterations: iterations)
        try update { $0[id] = record }
    }

    /// Removes `id`; `false` when there was no such account.
    @discardableResult
    public func remove(id: String) throws -> Bool {
        guard state.withLock({ $0[id] != nil }) else { return false }
        try update { $0[id] = nil }
        return true
    }

    /// Checks `pin` for `id` at `now`.
    ///
    /// - Throws: ``StaffError`` `.refused` (unknown id or wrong PIN, with the
    ///   tries left), `.locked` (with the time it opens again), or `.io` when
    ///   the failed try cannot be recorded (then the try counts as refused).
    public func check(id: String, pin: String, now: Date = Date()) throws {
        let record = state.withLock { $0[id] }
        if let record, let until = record.lockedUntil, until > now {
            throw StaffError(.locked, "staff account locked", retryAfter: until.timeIntervalSince(now))
        }
        let matches = record?.matches(pin: pin) ?? StaffRecord.decoyCheck(pin: pin)
        guard let record else { throw StaffError(.refused, "staff id or PIN not accepted") }
        if matches {
            if record.failures > 0 { try update { $0[id]?.clearFailures() } }
            return
        }
        var after = record
        try update { accounts in
            accounts[id]?.recordFailure(at: now, lockout: Self.lockout(afterFailures:))
            after = accounts[id] ?? record
        }
        if let until = after.lockedUntil, until > now {
            throw StaffError(.locked, "wrong PIN: staff account locked", retryAfter: until.timeIntervalSince(now))
        }
        throw StaffError(.refused, "staff id or PIN not accepted",
                         triesLeft: max(0, Self.maximumTries - after.failures))
    }

    /// How long an account stays locked after `failures` wrong PINs in a row; `nil` below the limit.
    public static func lockout(afterFailures failures: Int) -> TimeInterval? {
        guard failures >= maximumTries else { return nil }
        return min(longestLockout, firstLockout * pow(2, Double(min(failures - maximumTries, 20))))
    }

    /// Changes the accounts under the lock and writes the file before the change is kept.
    private func update(_ change: (inout [String: StaffRecord]) -> Void) throws {
        try state.withLock { accounts in
            var next = accounts
            change(&next)
            do {
                try DurableFile.replace(file, with: StaffRecord.encode(next))
            } catch {
                throw StaffError(.io, "\(error)")
            }
            accounts = next
        }
    }
}
