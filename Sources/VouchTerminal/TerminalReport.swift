public import Foundation

/// The daily figures of one terminal, from its ``TerminalRegister``: scans
/// per policy by decision and reason, manual ID checks and refusals per
/// policy by reason, and how old the trust data was at the scans of the day.
///
/// Counts only: the report is built from register lines, which hold no
/// customer data, and it adds none. Staff ids are not in it either.
public struct TerminalReport: Sendable, Equatable {
    public let day: RegisterDay
    public let timeZone: TimeZone
    /// `kind -> policy -> outcome -> reason -> count`.
    public private(set) var counts: [String: [String: [String: [String: Int]]]] = [:]
    /// Scans that were read through a keyboard layout, by layout.
    public private(set) var layouts: [String: Int] = [:]
    /// Oldest and newest trust data seen at a scan (seconds since the last sync).
    public private(set) var oldestTrustAge: Int?
    public private(set) var newestTrustAge: Int?
    /// Scans made before the terminal had any trust data.
    public private(set) var scansWithoutTrustData = 0
    /// Register lines that did not parse (never expected; reported rather than hidden).
    public let unreadableLines: Int

    public init(day: RegisterDay, timeZone: TimeZone, entries: [RegisterEntry], unreadableLines: Int = 0) {
        self.day = day
        self.timeZone = timeZone
        self.unreadableLines = unreadableLines
        for entry in entries {
            counts[entry.kind.rawValue, default: [:]][entry.policy, default: [:]][entry.outcome, default: [:]][
                entry.reason, default: 0] += 1
            guard entry.kind == .scan else { continue }
            if let layout = entry.layout { layouts[layout, default: 0] += 1 }
            if let age = entry.trustAgeSeconds {
                oldestTrustAge = max(oldestTrustAge ?? age, age)
                newestTrustAge = min(newestTrustAge ?? age, age)
            } else {
                scansWithoutTrustData += 1
            }
        }
    }

    public func total(_ kind: RegisterEntry.Kind) -> Int {
        (counts[kind.rawValue] ?? [:]).values.reduce(0) { sum, outcomes in
            sum + outcomes.values.reduce(0) { $0 + $1.values.reduce(0, +) }
        }
    }

    /// The count of `kind` entries for `policy` with `outcome` and `reason` (any when `nil`).
    public func count(_ kind: RegisterEntry.Kind, policy: String, outcome: String? = nil, reason: String? = nil) -> Int {
        let outcomes = counts[kind.rawValue]?[policy] ?? [:]
        return outcomes.filter { outcome == nil || $0.key == outcome }.values.reduce(0) { sum, reasons in
            sum + reasons.filter { reason == nil || $0.key == reason }.values.reduce(0, +)
        }
    }

    public var jsonObject: [String: Any] {
        func section(_ kind: RegisterEntry.Kind) -> [String: Any] {
            ["total": total(kind), "by_policy": counts[kind.rawValue] ?? [:]]
        }
        return [
            "date": day.text, "time_zone": timeZone.identifier,
            "scans": section(.scan), "manual_checks": section(.manualCheck), "refusals": section(.refusal),
            "layouts": layouts,
            "trust_age_seconds": [
                "oldest": oldestTrustAge ?? NSNull(), "newest": newestTrustAge ?? NSNull(),
                "scans_without_trust_data": scansWithoutTrustData,
            ] as [String: Any],
            "unreadable_lines": unreadableLines,
        ]
    }

    /// `date,kind,policy,outcome,reason,count`, one row per count, sorted;
    /// then the trust ages as rows of kind `trust_age` (count = seconds).
    public var csv: String {
        var rows = ["date,kind,policy,outcome,reason,count"]
        for kind in RegisterEntry.Kind.allCases {
            for (policy, outcomes) in (counts[kind.rawValue] ?? [:]).sorted(by: { $0.key < $1.key }) {
                for (outcome, reasons) in outcomes.sorted(by: { $0.key < $1.key }) {
                    for (reason, count) in reasons.sorted(by: { $0.key < $1.key }) {
                        rows.append([day.text, kind.rawValue, policy, outcome, reason, String(count)]
                            .map(Self.cell).joined(separator: ","))
                    }
                }
            }
        }
        for (layout, count) in layouts.sorted(by: { $0.key < $1.key }) {
            rows.append([day.text, "layout", "", layout, "", String(count)].map(Self.cell).joined(separator: ","))
        }
        if let oldestTrustAge { rows.append("\(day.text),trust_age,,oldest,,\(oldestTrustAge)") }
        if let newestTrustAge { rows.append("\(day.text),trust_age,,newest,,\(newestTrustAge)") }
        rows.append("\(day.text),trust_age,,none,,\(scansWithoutTrustData)")
        return rows.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting, and a leading `'` for cells a spreadsheet would run as a formula.
    static func cell(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
        guard text.contains(where: { ",\"\r\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
