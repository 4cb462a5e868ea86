internal import Foundation
internal import Synchronization

/// Reservations that wait for the pool's refill instead of failing (issue 13: a burst of issuance larger
/// than one refill got 503 on a healthy database).
///
/// Waiting costs no thread: a reservation parks a continuation that the refill resumes when it ends,
/// or its own timer at the deadline. Each refill is bounded by the operation timeout, so a waiter
/// learns within that whether the database answers.
extension PostgresSlotPool {
    /// `count` claimed slots, waiting for the refill in flight when a burst has emptied the pool.
    ///
    /// Waits at most ``PostgresTimeouts/operation`` seconds in all, and fails sooner only when a refill it
    /// waited for failed (the database is gone), with that refill's reason; slots it took go back to the pool.
    ///
    /// - Throws: `StoreError.database`.
    func reserve(count: Int) async throws -> [StatusAllocation] {
        let bound = database.timeouts.operation
        let deadline = ContinuousClock.now + .seconds(bound)
        var taken: [StatusAllocation] = []
        var waitedFrom: Int?
        while true {
            let (refill, refills, failure) = state.withLock { state -> (Bool, Int, String?) in
                let wanted = min(count - taken.count, state.free.count)
                taken += state.free.suffix(wanted)
                state.free.removeLast(wanted)
                // A failure counts only if it is of a refill that ended while this call waited.
                let failure = waitedFrom.map { $0 != state.refills } == true ? state.lastFailure : nil
                return (Self.markRefill(&state, batch: batch, short: count - taken.count), state.refills, failure)
            }
            if refill { startRefill() }
            if taken.count == count { return taken }
            let why = failure ?? (ContinuousClock.now >= deadline
                ? "none within database_operation_timeout (\(bound) s)" : nil)
            if let why {
                giveBack(taken)
                throw StoreError(code: .database, reason: "no status slot is ready: \(why)")
            }
            waitedFrom = refills
            await waitForRefill(after: refills, until: deadline)
        }
    }

    /// Puts claimed slots that went into no token back at the head of the pool (claimed in `status_slots`,
    /// so no other node takes them, and in no token, so handing them out once more is safe).
    func giveBack(_ allocations: [StatusAllocation]) {
        state.withLock { $0.free.append(contentsOf: allocations) }
    }

    /// Sets `refilling` when the pool is below its low-water mark, or lacks `short` slots a caller waits
    /// for, and no refill runs; returns whether it did (the caller then starts one).
    static func markRefill(_ state: inout State, batch: Int, short: Int) -> Bool {
        guard state.free.count < batch * 3 / 4 || short > 0, !state.refilling else { return false }
        state.refilling = true
        return true
    }

    /// Refills in the background (bounded by the operation timeout), then wakes every waiting reservation.
    func startRefill() {
        Task {
            var failure: String?
            do {
                try await self.refill(alreadyMarked: true)
            } catch {
                failure = (error as? StoreError)?.reason ?? "\(type(of: error))"
            }
            let waiters = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.lastFailure = failure
                state.refills += 1
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            waiters.forEach { $0.resume() }
        }
    }

    /// Returns once a refill after the `seen`-th has ended, or at `deadline`.
    private func waitForRefill(after seen: Int, until deadline: ContinuousClock.Instant) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            guard !Task.isCancelled else { return }
            self.state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                guard state.refills == seen else { return true }
                state.waiters[id] = continuation
                return false
            }
            if ready { continuation.resume() }
        }
        timer.cancel()
    }
}
