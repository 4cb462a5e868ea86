internal import CQREncode

/// How much of a QR symbol may be damaged and still decode.
///
/// Vouch attestations use ``medium`` (the format's rule): higher levels make the
/// symbol larger for the same text.
public enum QRErrorCorrection: Sendable, Hashable, CaseIterable {
    /// About 7% of codewords can be restored.
    case low
    /// About 15% of codewords can be restored (the Vouch default).
    case medium
    /// About 25% of codewords can be restored.
    case quartile
    /// About 30% of codewords can be restored.
    case high

    var qrecLevel: QRecLevel {
        switch self {
        case .low: QR_ECLEVEL_L
        case .medium: QR_ECLEVEL_M
        case .quartile: QR_ECLEVEL_Q
        case .high: QR_ECLEVEL_H
        }
    }
}
