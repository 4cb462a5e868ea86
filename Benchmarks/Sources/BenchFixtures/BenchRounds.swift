/// How each baseline/ours pair is measured: in alternating rounds.
///
/// The benchmark plugin runs benchmarks one at a time, sorted by name, each
/// in a process of its own. A pair measured once each would compare two
/// different seconds of a machine other people share. Naming the benchmarks
/// `<pair> r1 - baseline`, `<pair> r1 - ours`, `<pair> r2 - baseline`, ...
/// makes the plugin alternate them, and `ratios.py` takes the ratio within
/// each round and reports the median and the spread over rounds.
public enum BenchRounds {
    /// Rounds per pair; fewer than 10, so that names sort in round order.
    /// Many short rounds follow the machine's load more closely than a few long ones;
    /// a benchmark process costs about 0.15 s to start.
    public static let count = 5
    /// How long each benchmark of a round runs.
    public static let duration: Duration = .milliseconds(600)

    /// `["r1", "r2", ...]`, the round labels used in benchmark names.
    public static var all: [String] { (1...count).map { "r\($0)" } }
}
