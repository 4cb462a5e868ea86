/// A `Duration` as fractional seconds, for bounds and clocks kept as `Double` (store timeouts, rate limits).
extension Duration {
    package var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
