/// A C2SP tlog-tiles resource path: `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`.
///
/// `<N>` is written in three-digit groups, all but the last prefixed with `x`
/// (index 1234067 is `x001/x234/067`); `.p/<W>` marks a partial tile of width
/// 1...255. Parsing accepts only the canonical spelling (no leading zeros, no
/// empty `x000` group, no `.p/256`), so one resource has exactly one path and
/// a cache or CDN can never be fed two names for different contents.
public struct TilePath: Hashable, Sendable, CustomStringConvertible {
    /// What the path names.
    public enum Kind: Hashable, Sendable {
        /// Hashes at tree level `8 * level`.
        case hashes(level: Int)
        /// Raw entries (an entry bundle), the data counterpart of level 0.
        case entries
    }

    /// Tile height (tlog-tiles fixes it at 8): a full tile holds 256 hashes.
    public static let height = 8
    /// The number of hashes in a full tile, or entries in a full bundle.
    public static let fullWidth = 1 << height
    /// The highest level tlog-tiles allows.
    public static let maximumLevel = 63

    public let kind: Kind
    /// The tile's position within its level.
    public let index: Int
    /// The number of hashes (or entries): ``fullWidth`` for a full tile.
    public let width: Int

    /// Creates the path of a hash tile.
    ///
    /// - Throws: `LogError.malformedTilePath` for a level outside 0...63, a
    ///   negative index or a width outside 1...256.
    public init(level: Int, index: Int, width: Int = TilePath.fullWidth) throws(LogError) {
        guard (0...Self.maximumLevel).contains(level) else {
            throw LogError(.malformedTilePath, "tile level must be 0...63")
        }
        try self.init(kind: .hashes(level: level), index: index, width: width)
    }

    /// Creates the path of an entry bundle.
    ///
    /// - Throws: `LogError.malformedTilePath` for a negative index or a width
    ///   outside 1...256.
    public init(entriesIndex index: Int, width: Int = TilePath.fullWidth) throws(LogError) {
        try self.init(kind: .entries, index: index, width: width)
    }

    private init(kind: Kind, index: Int, width: Int) throws(LogError) {
        guard index >= 0 else { throw LogError(.malformedTilePath, "tile index must not be negative") }
        guard (1...Self.fullWidth).contains(width) else {
            throw LogError(.malformedTilePath, "tile width must be 1...256")
        }
        self.kind = kind
        self.index = index
        self.width = width
    }

    /// Whether this is a partial tile (`.p/<W>`).
    public var isPartial: Bool { width < Self.fullWidth }

    /// The canonical path, e.g. `tile/0/x001/x234/067.p/8`.
    public var description: String {
        var path = "tile/"
        switch kind {
        case .hashes(let level): path += String(level)
        case .entries: path += "entries"
        }
        path += "/" + Self.formatIndex(index)
        if isPartial {
            path += ".p/" + String(width)
        }
        return path
    }

    /// The width tile `index` of a level has when the tree has `treeSize`
    /// leaves: 256 when full, 1...255 for the partial right edge, 0 when the
    /// tile does not exist yet. Entry bundles have the width of level 0.
    ///
    /// - Parameters:
    ///   - level: The tile level (0 for entry bundles).
    ///   - index: The tile index.
    ///   - treeSize: The tree size, for example of the latest checkpoint.
    public static func width(level: Int, index: Int, treeSize: Int) -> Int {
        guard level >= 0, index >= 0, treeSize > 0 else { return 0 }
        let shift = level * height
        guard shift < Int.bitWidth - 1 else { return 0 }
        let hashes = treeSize >> shift
        let start = index.multipliedReportingOverflow(by: fullWidth)
        guard !start.overflow, hashes > start.partialValue else { return 0 }
        return min(fullWidth, hashes - start.partialValue)
    }

    static func formatIndex(_ index: Int) -> String {
        var n = index
        var path = threeDigits(n % 1000)
        while n >= 1000 {
            n /= 1000
            path = "x" + threeDigits(n % 1000) + "/" + path
        }
        return path
    }

    private static func threeDigits(_ n: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: 3 - digits.count) + digits
    }
}
