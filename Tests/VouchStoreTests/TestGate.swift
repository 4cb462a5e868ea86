import Synchronization

/// At most `width` holders at once; the others wait, in order.
///
/// Swift Testing starts every test of the process at once, and `swift test` runs all targets in one process on
/// one PostgreSQL cluster. With every store suite on both backends, some 60 PostgreSQL store cases then created
/// databases, migrated and wrote at the same moment, on two cores, beside the server's PostgreSQL tests, whose
/// migrations timed out after 120 s in a full run. ``BackendFixture`` takes a place here while it creates and
/// migrates its PostgreSQL database, so the store suites add a bounded load whatever else runs.
final class TestGate: Sendable {
    /// The gate the PostgreSQL store fixtures share.
    static let postgresStores = TestGate(width: 4)

    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(width: Int) {
        state = Mutex(State(free: width))
    }

    /// Waits for a place.
    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state in
                if state.free > 0 {
                    state.free -= 1
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    /// Gives the place to the longest waiter, or back to the gate.
    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
