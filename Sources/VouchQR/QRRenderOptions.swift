/// How a QR code is drawn: pixels per module and the width of the quiet zone.
///
/// The quiet zone is the light margin scanners need around the symbol; the QR
/// specification asks for 4 modules, and small phone cameras misread codes
/// printed closer to other content.
public struct QRRenderOptions: Sendable, Hashable {
    /// Allowed pixels per module.
    public static let scaleRange = 1...64
    /// Allowed quiet zone widths, in modules.
    public static let borderRange = 0...32

    /// Pixels per module side (SVG: the px width of one viewBox unit), `1...64`.
    public var scale: Int
    /// Quiet zone width in modules on every side, `0...32`.
    public var border: Int

    /// Creates rendering options; they are checked when a code is rendered.
    ///
    /// - Parameters:
    ///   - scale: Pixels per module, 8 by default.
    ///   - border: Quiet zone in modules, 4 (the QR specification's minimum) by default.
    public init(scale: Int = 8, border: Int = 4) {
        self.scale = scale
        self.border = border
    }

    /// Throws unless both values are in range.
    ///
    /// - Throws: ``QRError`` with code `.invalidOptions`.
    public func validate() throws {
        guard Self.scaleRange.contains(scale) else {
            throw QRError(.invalidOptions, "scale \(scale) is outside \(Self.scaleRange)")
        }
        try Self.validate(border: border)
    }

    static func validate(border: Int) throws {
        guard borderRange.contains(border) else {
            throw QRError(.invalidOptions, "border \(border) is outside \(borderRange)")
        }
    }
}
