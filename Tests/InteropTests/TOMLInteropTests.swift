import Foundation
import Testing
import VouchServer

/// Our configuration-file reader against Python's `tomllib` (TOML 1.0), on
/// hand-picked documents and thousands of random mutations of them.
///
/// The rule checked: where tomllib refuses a document we refuse it; where it
/// reads only strings, 64-bit integers, floats and booleans at the top level
/// we read the same keys and values; where it reads anything else (tables,
/// arrays, dates, bigger integers) we refuse it. Two differences are by
/// design: multi-line strings, which a configuration does not need, are
/// refused; and a finite float literal that overflows (`1e400`) is infinity
/// to tomllib and an error to us.
@Suite("TOML subset vs tomllib")
struct TOMLInteropTests {
    static let keys = ["rate_limit", "a-b", "_x", "1", "\"q k\"", "'lit'", "a.b", "\"\"", "ключ", "x y"]
    static let values = [
        "0", "-17", "+5", "1_000", "0x1F", "0xdead_beef", "0o17", "0b101", "007", "1__0", "_1", "0x", "+0x1", "0x-1",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "0b2",
        "1.5", "-0.0", "1e5", "1E-2", "6.626e-34", "1.", ".5", "1e400", "inf", "-nan", "+inf", "1_0.0_1", "3.14_",
        "1e1_0", "0e0", "01.5", "1.5e+3",
        "\"abc\"", "\"a\\tb\"", "\"\\u00e9\"", "\"\\U0001F600\"", "\"\\uD800\"", "\"bad\\q\"", "'lit\\no'", "\"\"",
        "\"unterminated", "\"tab\there\"", "\"quote\\\"inside\"", "'it''s'", "\"\\x41\"", "\"\\e\"", "\"é😀\"",
        "true", "false", "True", "tru",
        "[1, 2]", "{ a = 1 }", "1979-05-27", "07:32:00", "1979-05-27T07:32:00Z", "\"\"\"x\"\"\"", "'''y'''",
    ]
    static let alphabet = Array("0123456789abefinotx_.+-\"'\\= #\t\n\r[]{}:éE")

    /// A deterministic generator, so a failure names a document that can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func documents(count: Int, seed: UInt64) -> [String] {
        var random = SplitMix(state: seed)
        var documents: [String] = []
        // Every value once with a plain key, then random documents.
        for value in values { documents.append("v = \(value)\n") }
        for key in keys { documents.append("\(key) = 1\n") }
        while documents.count < count {
            var lines: [String] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                var line = "\(keys.randomElement(using: &random)!)\(["", " ", "\t"].randomElement(using: &random)!)="
                line += "\([" ", "", "  "].randomElement(using: &random)!)\(values.randomElement(using: &random)!)"
                if Bool.random(using: &random) { line += " # note" }
                lines.append(line)
                if Int.random(in: 0..<4, using: &random) == 0 { lines.append(["# comment", "", "   "].randomElement(using: &random)!) }
            }
            var text = Array(lines.joined(separator: Bool.random(using: &random) ? "\n" : "\r\n"))
            for _ in 0..<Int.random(in: 0...2, using: &random) where !text.isEmpty {
                let position = Int.random(in: 0..<text.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: text.insert(alphabet.randomElement(using: &random)!, at: position)
                case 1: text.remove(at: position)
                default: text[position] = alphabet.randomElement(using: &random)!
                }
            }
            documents.append(String(text) + (Bool.random(using: &random) ? "\n" : ""))
        }
        return documents
    }

    @Test("accept, refuse and values agree with Python's tomllib")
    func agreesWithTomllib() throws {
        let documents = Self.documents(count: 4000, seed: 20_261_125)
        let input = try JSONSerialization.data(withJSONObject: documents)
        let script = ExternalTool.packageRoot.appendingPathComponent("Tests/InteropTests/Python/toml_read.py")
        let result = try ExternalTool.run(try ExternalTool.python, [script.path], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        let answers = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(answers.count == documents.count)
        var accepted = 0, refused = 0, outside = 0
        for (document, answer) in zip(documents, answers) {
            let ours = Result { () throws(TOMLSubset.ParseError) in try TOMLSubset.parse(Array(document.utf8)) }
            if answer["error"] as? Bool == true {
                refused += 1
                #expect(throws: TOMLSubset.ParseError.self, "tomllib refuses \(document.debugDescription)") {
                    _ = try ours.get()
                }
                continue
            }
            let values = answer["values"] as? [String: [String]] ?? [:]
            let overflow = values.values.contains { $0[0] == "float" && $0[1].hasSuffix("inf") }
            if values.values.contains(where: { $0[0] == "other" }) {
                outside += 1
                #expect(throws: TOMLSubset.ParseError.self, "outside the subset: \(document.debugDescription)") {
                    _ = try ours.get()
                }
                continue
            }
            guard case .success(let entries) = ours else {
                let multiLine = document.contains("\"\"\"") || document.contains("'''")
                if !overflow && !multiLine { Issue.record("tomllib reads \(document.debugDescription) as \(values); we refuse it: \(ours)") }
                continue
            }
            accepted += 1
            #expect(entries.count == values.count, "\(document.debugDescription)")
            for entry in entries {
                guard let theirs = values[entry.key] else {
                    Issue.record("key \(entry.key.debugDescription) missing in tomllib's reading of \(document.debugDescription)")
                    continue
                }
                #expect(Self.same(entry.value, theirs), "\(document.debugDescription): \(entry.value) vs \(theirs)")
            }
        }
        // The corpus exercises all three outcomes.
        #expect(accepted > 300 && refused > 300 && outside > 100, "accepted \(accepted), refused \(refused), outside \(outside)")
    }

    static func same(_ ours: TOMLSubset.Value, _ theirs: [String]) -> Bool {
        switch ours {
        case .string(let s): return theirs == ["string", s]
        case .integer(let i): return theirs == ["integer", String(i)]
        case .boolean(let b): return theirs == ["boolean", b ? "true" : "false"]
        case .float(let d):
            guard theirs[0] == "float" else { return false }
            if d.isNaN { return theirs[1] == "nan" }
            if d.isInfinite { return theirs[1] == (d > 0 ? "inf" : "-inf") }
            guard let other = Double(theirs[1]) else { return false }
            return other.bitPattern == d.bitPattern
        }
    }
}
