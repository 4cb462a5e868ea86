import Testing
import VouchQR

@Suite struct TerminalTextTests {
    /// Reads the text back into modules: the upper half of a glyph is one module row, the lower half the next.
    static func modules(_ text: String, inverted: Bool) -> [[Bool]] {
        var rows: [[Bool]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            var upper: [Bool] = []
            var lower: [Bool] = []
            for glyph in line {
                let (top, bottom): (Bool, Bool) = switch glyph {
                case "█": (true, true)
                case "▀": (true, false)
                case "▄": (false, true)
                case " ": (false, false)
                default: (inverted, inverted)  // fails the comparison below
                }
                upper.append(top != inverted)
                lower.append(bottom != inverted)
            }
            rows += [upper, lower]
        }
        return rows
    }

    @Test(arguments: [0, 1, 4, 32], [false, true])
    func textMatchesTheModules(border: Int, inverted: Bool) throws {
        let code = try QRCode(text: TestTexts.vouch(count: 280))
        let text = try code.terminalText(border: border, inverted: inverted)
        let side = code.size + 2 * border
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == (side + 1) / 2 + 1)
        #expect(lines.last == "")
        #expect(lines.dropLast().allSatisfy { $0.count == side })

        let drawn = Self.modules(text, inverted: inverted)
        #expect(drawn.count == side + 1)  // side is odd: half a line of quiet zone is added
        for y in 0..<drawn.count {
            for x in 0..<side {
                let moduleX = x - border
                let moduleY = y - border
                let inside = (0..<code.size).contains(moduleX) && (0..<code.size).contains(moduleY)
                #expect(drawn[y][x] == (inside && code.isDark(x: moduleX, y: moduleY)), "(\(x), \(y))")
            }
        }
    }

    @Test func defaultIsDarkGlyphsWithFourModuleQuietZone() throws {
        let code = try QRCode(text: "A")
        let text = try code.terminalText()
        #expect(text == (try code.terminalText(border: 4, inverted: false)))
        let lines = text.split(separator: "\n")
        #expect(lines.count == 15)  // (21 + 8 + 1) / 2
        #expect(lines[0] == Substring(String(repeating: " ", count: 29)))
        // Row 4 and 5 are the finder's top edge and its next row: upper and lower halves dark.
        #expect(lines[2].dropFirst(4).prefix(7) == "█▀▀▀▀▀█")
        #expect(try code.terminalText(inverted: true).split(separator: "\n")[0] == Substring(String(repeating: "█", count: 29)))
    }

    @Test(arguments: [-1, 33, Int.min])
    func invalidBorder(border: Int) throws {
        let code = try QRCode(text: "A")
        expectQRError(.invalidOptions) { try code.terminalText(border: border) }
    }
}
