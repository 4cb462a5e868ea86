/// "Did you mean" hints for misspelt field and key names.
public enum NameSuggestion {
    /// ` (did you mean "x"?)` for a known name within two edits of `key` (case ignored), else "".
    public static func didYouMean(_ key: String, among names: [String]) -> String {
        let scored = names.map { ($0, editDistance(Array(key.lowercased()), Array($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return "" }
        return " (did you mean \"\(best.0)\"?)"
    }

    /// Levenshtein distance; names over 64 characters are never close.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard a.count <= 64, b.count <= 64 else { return .max }
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
