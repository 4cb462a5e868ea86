import Foundation
import Testing
import VouchCore

/// RFC 8949 Appendix A and the malformed-CBOR corpus.
@Suite struct CBORVectorTests {
    struct AppendixA {
        let hex: String
        let roundtrip: Bool
        let decoded: Any?
        let diagnostic: String?
    }

    static func appendixA() throws -> [AppendixA] {
        let list = try #require(VectorLoader.json("appendix_a.json") as? [[String: Any]])
        return list.map {
            AppendixA(hex: $0["hex"] as! String, roundtrip: $0["roundtrip"] as! Bool, decoded: $0["decoded"],
                      diagnostic: $0["diagnostic"] as? String)
        }
    }

    @Test func appendixADecodesAndReencodes() throws {
        let vectors = try Self.appendixA()
        #expect(vectors.count == 82)
        var roundTrips = 0, valueChecks = 0, rejectedIndefinite = 0
        for vector in vectors {
            let bytes = [UInt8](hex: vector.hex)
            do {
                _ = try CBORDecoder.decode(bytes)
            } catch where error.code == .indefiniteLength {
                // Indefinite-length examples are not deterministic encodings (never round-trip) and contain a break.
                #expect(!vector.roundtrip && vector.hex.contains("ff"), "\(vector.hex)")
                rejectedIndefinite += 1
                continue
            } catch {}
            if vector.hex == "f818" {
                // RFC 7049 listed simple(24) as f818; RFC 8949 §3.3 makes a two-byte
                // simple value below 32 not well-formed, and we follow RFC 8949.
                #expect(throws: CBORError(.invalidSimpleValue, "", offset: 0)) { try CBORDecoder.decode(bytes) }
                continue
            }
            let item = try CBORDecoder.decode(bytes)
            if vector.roundtrip {
                #expect(item.encoded().hexString == vector.hex, "re-encoding \(vector.hex)")
                roundTrips += 1
            }
            if let expected = vector.decoded, let ok = Self.matches(item, expected) {
                #expect(ok, "value of \(vector.hex): \(item.diagnostic)")
                valueChecks += 1
            }
            if let diagnostic = vector.diagnostic, let ok = Self.matchesDiagnostic(item, diagnostic) {
                #expect(ok, "diagnostic of \(vector.hex): \(item.diagnostic) vs \(diagnostic)")
                valueChecks += 1
            }
        }
        #expect(rejectedIndefinite == 11)  // the 11 indefinite-length examples of Appendix A
        #expect(roundTrips >= 60)
        #expect(valueChecks >= 60)
    }

    /// Compares a decoded item with a JSON value; `nil` when JSON cannot express it (bignums, byte strings).
    static func matches(_ item: CBOR, _ json: Any) -> Bool? {
        switch item {
        case .unsigned(let n):
            guard let number = json as? NSNumber else { return false }
            if n > UInt64(1) << 53 { return String(n) == number.stringValue ? true : nil }
            return number.uint64Value == n
        case .negative:
            guard let number = json as? NSNumber else { return false }
            guard let v = item.int64, v > -(Int64(1) << 53) else { return nil }
            return number.int64Value == v
        case .float(let d):
            guard let number = json as? NSNumber else { return false }
            // Foundation's JSON parser may be one ulp off on long literals.
            return number.doubleValue == d || abs(number.doubleValue - d) <= abs(d) * 1e-15
        case .text(let s): return (json as? String) == s
        case .bool(let b): return (json as? NSNumber)?.boolValue == b
        case .null: return json is NSNull
        case .array(let a):
            guard let list = json as? [Any], list.count == a.count else { return false }
            for (x, y) in zip(a, list) { if matches(x, y) == false { return false } }
            return true
        case .map(let m):
            guard let dict = json as? [String: Any], dict.count == m.count else { return false }
            for pair in m {
                guard let key = pair.key.textValue, let value = dict[key] else { return false }
                if matches(pair.value, value) == false { return false }
            }
            return true
        case .bytes, .tagged, .simple, .undefined: return nil
        }
    }

    static func matchesDiagnostic(_ item: CBOR, _ diagnostic: String) -> Bool? {
        switch item {
        case .float(let d) where d.isNaN: return diagnostic == "NaN"
        case .float(let d) where d.isInfinite: return diagnostic == (d > 0 ? "Infinity" : "-Infinity")
        case .undefined, .simple, .bytes: return item.diagnostic == diagnostic
        default: return nil
        }
    }

    @Test func malformedCorpusIsRejected() throws {
        let list = try #require(VectorLoader.json("fail.json") as? [[String: Any]])
        #expect(list.count > 600)
        var accepted: [String] = []
        for entry in list {
            let hex = try #require(entry["hex"] as? String)
            if (try? CBORDecoder.decode([UInt8](hex: hex))) != nil { accepted.append(hex) }
        }
        #expect(accepted.isEmpty, "accepted malformed inputs: \(accepted.prefix(20))")
    }
}
