internal import CRawQREncode

/// libqrencode called directly, the way the QR benchmark's baseline needs it.
public enum RawQREncode {
    /// Encodes a NUL-terminated string as `QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)`
    /// (what `VouchQR.QRCode(text:)` asks for) and frees the symbol.
    ///
    /// - Parameter text: UTF-8 bytes ending in NUL, converted once outside the measured loop.
    /// - Returns: the symbol width in modules, or 0 when libqrencode failed.
    public static func encode(_ text: [CChar]) -> Int {
        text.withUnsafeBufferPointer { cString in
            guard let code = QRcode_encodeString(cString.baseAddress, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return 0 }
            let width = Int(code.pointee.width)
            QRcode_free(code)
            return width
        }
    }
}
