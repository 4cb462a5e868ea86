extension TilePath {
    /// The most `<N>` groups a path may have: 7 groups hold every `Int`.
    private static let maximumGroups = 7

    /// Parses a canonical tlog-tiles path, starting with `tile/`.
    ///
    /// An HTTP layer that routes `/v1/log/tile/...` passes `"tile/" + rest`.
    ///
    /// - Parameter path: e.g. `tile/1/x001/234.p/17` or `tile/entries/000`.
    /// - Throws: `LogError.malformedTilePath` for anything that is not the
    ///   canonical spelling of a tile or entry bundle.
    public init(parsing path: String) throws(LogError) {
        let utf8 = Array(path.utf8)
        guard utf8.count <= 64, utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw LogError(.malformedTilePath, "tile path too long or not printable ASCII")
        }
        var components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard components.count >= 3, components[0] == "tile" else {
            throw LogError(.malformedTilePath, "tile path must start with tile/<L>/")
        }

        var width = Self.fullWidth
        if components.count >= 4, components[components.count - 2].hasSuffix(".p") {
            let widthText = components.removeLast()
            guard let w = Self.decimal(widthText), (1..<Self.fullWidth).contains(w) else {
                throw LogError(.malformedTilePath, "partial tile width must be 1...255 without leading zeros")
            }
            width = w
            components[components.count - 1].removeLast(2)
        }

        let groups = components[2...]
        guard groups.count <= Self.maximumGroups else {
            throw LogError(.malformedTilePath, "tile index has too many groups")
        }
        var index = 0
        for (position, group) in zip(groups.indices, groups) {
            let isLast = position == groups.endIndex - 1
            var digits = Substring(group)
            if !isLast {
                guard digits.first == "x" else {
                    throw LogError(.malformedTilePath, "tile index groups before the last must start with x")
                }
                digits = digits.dropFirst()
            }
            guard digits.utf8.count == 3, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let value = Int(digits)
            else {
                throw LogError(.malformedTilePath, "tile index groups must be three digits")
            }
            if position == groups.startIndex, !isLast, value == 0 {
                throw LogError(.malformedTilePath, "tile index has a leading zero group")
            }
            let scaled = index.multipliedReportingOverflow(by: 1000)
            let sum = scaled.partialValue.addingReportingOverflow(value)
            guard !scaled.overflow, !sum.overflow else {
                throw LogError(.malformedTilePath, "tile index out of range")
            }
            index = sum.partialValue
        }

        if components[1] == "entries" {
            try self.init(entriesIndex: index, width: width)
        } else {
            guard let level = Self.decimal(components[1]) else {
                throw LogError(.malformedTilePath, "tile level must be a decimal without leading zeros")
            }
            try self.init(level: level, index: index, width: width)
        }
    }

    /// A short non-negative decimal without leading zeros (except "0" itself).
    private static func decimal(_ text: String) -> Int? {
        let utf8 = text.utf8
        guard (1...3).contains(utf8.count), utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard utf8.count == 1 || utf8.first != 0x30 else { return nil }
        return Int(text)
    }
}
