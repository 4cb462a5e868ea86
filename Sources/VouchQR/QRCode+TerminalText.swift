extension QRCode {
    /// Renders the code as text for a terminal, two module rows per line with
    /// Unicode half blocks (`▀`, `▄`, `█` and space).
    ///
    /// By default the glyphs draw the dark modules, which is right for dark text
    /// on a light background (and for paper). Most terminals are light text on
    /// dark: pass `inverted: true` there, so the glyphs draw the light modules
    /// and the terminal background shows through as the dark ones. An odd
    /// number of rows leaves half a line of extra quiet zone at the bottom.
    ///
    /// - Parameters:
    ///   - border: Quiet zone in modules on every side, `0...32`, 4 by default.
    ///   - inverted: Draw light modules instead of dark ones.
    /// - Returns: `(size + 2 * border + 1) / 2` lines of `size + 2 * border`
    ///   characters, each ending with a newline.
    /// - Throws: ``QRError`` with code `.invalidOptions` for a border out of range.
    public func terminalText(border: Int = 4, inverted: Bool = false) throws -> String {
        try QRRenderOptions.validate(border: border)
        let side = size + 2 * border
        // UTF-8 of the glyph for: top module inked (bit 1), bottom module inked (bit 0).
        let glyphs: [[UInt8]] = [Array(" ".utf8), Array("▄".utf8), Array("▀".utf8), Array("█".utf8)]
        var text: [UInt8] = []
        text.reserveCapacity(((side + 1) / 2) * (side * 3 + 1))
        for top in stride(from: 0, to: side, by: 2) {
            for column in 0..<side {
                let upper = isInked(x: column - border, y: top - border, inverted: inverted)
                // Past the last row is more quiet zone: light, which is inked when inverted.
                let lower = top + 1 < side ? isInked(x: column - border, y: top + 1 - border, inverted: inverted) : inverted
                text += glyphs[(upper ? 2 : 0) | (lower ? 1 : 0)]
            }
            text.append(UInt8(ascii: "\n"))
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether a module, quiet zone included (coordinates may be outside the symbol), gets a glyph.
    private func isInked(x: Int, y: Int, inverted: Bool) -> Bool {
        let dark = (0..<size).contains(x) && (0..<size).contains(y) && modules[y * size + x] != 0
        return dark != inverted
    }
}
