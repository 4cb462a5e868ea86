internal import CQREncode

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A QR code symbol: a square matrix of dark and light modules.
///
/// The text is encoded by libqrencode, which picks the smallest version that
/// fits and splits the text into modes by itself: Base45 text (`"VCH1:..."`)
/// uses alphanumeric mode, so a 250-character attestation is version 9.
/// The matrix is copied out and libqrencode's object freed at once, so a
/// `QRCode` is a plain value, safe to share between tasks.
public struct QRCode: Sendable, Hashable {
    /// The symbol version, 1 (21 x 21 modules) to 40 (177 x 177).
    public let version: Int
    /// The number of modules on a side, without any quiet zone.
    public let size: Int
    /// The error correction level the symbol was encoded with.
    public let errorCorrection: QRErrorCorrection
    /// Row-major modules, 1 for dark and 0 for light, `size * size` of them.
    let modules: [UInt8]

    /// Encodes text as a QR code.
    ///
    /// - Parameters:
    ///   - text: The text, encoded as UTF-8; Base45 text uses alphanumeric mode.
    ///   - errorCorrection: The error correction level, ``QRErrorCorrection/medium`` by default.
    /// - Throws: ``QRError`` with code `.emptyText`, `.invalidText` (a NUL
    ///   character, or rejected by libqrencode), `.textTooLong` (more than a
    ///   version 40 symbol holds) or `.internal` (out of memory).
    public init(text: String, errorCorrection: QRErrorCorrection = .medium) throws {
        guard !text.isEmpty else { throw QRError(.emptyText, "the text to encode is empty") }
        guard !text.utf8.contains(0) else {
            throw QRError(.invalidText, "the text contains a NUL character")
        }
        // Case-sensitive 8-bit hint: libqrencode still picks numeric and
        // alphanumeric segments where they are shorter, and leaves lowercase alone.
        let encoded = text.withCString { cString -> (UnsafeMutablePointer<CQREncode.QRcode>?, Int32) in
            errno = 0
            let code = QRcode_encodeString(cString, 0, errorCorrection.qrecLevel, QR_MODE_8, 1)
            return (code, errno)
        }
        guard let code = encoded.0 else {
            throw Self.encodingError(errno: encoded.1, utf8Count: text.utf8.count)
        }
        defer { QRcode_free(code) }

        let width = Int(code.pointee.width)
        let version = Int(code.pointee.version)
        guard (1...40).contains(version), width == 17 + 4 * version, let data = code.pointee.data else {
            throw QRError(.internal, "libqrencode returned version \(version) with width \(width)")
        }
        // Bit 0 of each byte is the module colour; the other bits are libqrencode's bookkeeping.
        let source = UnsafeBufferPointer(start: data, count: width * width)
        self.modules = source.map { $0 & 1 }
        self.version = version
        self.size = width
        self.errorCorrection = errorCorrection
    }

    /// Whether the module at column `x`, row `y` is dark.
    ///
    /// - Parameters:
    ///   - x: The column, `0..<size`, from the left.
    ///   - y: The row, `0..<size`, from the top.
    /// - Returns: `true` for a dark module.
    public func isDark(x: Int, y: Int) -> Bool {
        precondition((0..<size).contains(x) && (0..<size).contains(y), "module (\(x), \(y)) is outside the symbol")
        return modules[y * size + x] != 0
    }

    private static func encodingError(errno code: Int32, utf8Count: Int) -> QRError {
        switch code {
        case ERANGE:
            QRError(.textTooLong, "\(utf8Count) bytes of text do not fit in a version 40 QR code")
        case EINVAL:
            QRError(.invalidText, "libqrencode rejected the text (EINVAL)")
        case ENOMEM:
            QRError(.internal, "libqrencode ran out of memory")
        default:
            QRError(.internal, "libqrencode failed (errno \(code))")
        }
    }
}
