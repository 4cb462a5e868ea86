import Foundation
import Hummingbird
import VouchHTTP
import VouchQR

/// The image forms of a code: chosen by `Accept`, or by a `format` field.
enum QRFormat: String {
    case png
    case svg

    var mediaType: String { self == .png ? "image/png" : "image/svg+xml" }

    /// `nil` for JSON; an image format when `Accept` asks for one.
    static func negotiate(_ request: Request) throws -> QRFormat? {
        let accept = request.headers[.accept]?.lowercased() ?? ""
        if accept.contains("image/png") { return .png }
        if accept.contains("image/svg+xml") { return .svg }
        if accept.isEmpty || accept.contains("json") || accept.contains("*/*") { return nil }
        throw Problem.notAcceptable("this route answers application/json, image/png or image/svg+xml")
    }

    func response(for text: String, options: QRRenderOptions, errorCorrection: QRErrorCorrection = .medium,
                  status: HTTPResponse.Status = .ok) throws -> Response {
        let bytes: [UInt8]
        do {
            let code = try QRCode(text: text, errorCorrection: errorCorrection)
            switch self {
            case .png: bytes = try code.png(options: options)
            case .svg: bytes = Array(try code.svg(options: options).utf8)
            }
        } catch let error as QRError {
            if error.code == .invalidOptions { throw Problem.invalidField("scale", error.reason) }
            throw Problem.invalidField("text", "cannot be drawn as a QR code: \(error.reason)")
        }
        return Response(status: status, headers: [.contentType: mediaType, .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// `POST /v1/qr` (issue scope): any text as PNG or SVG.
struct QRController {
    let services: VouchServices

    func addRoutes(to group: RouterGroup<VouchRequestContext>) {
        group.post("/v1/qr", use: render)
    }

    @Sendable func render(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: services.configuration.maximumBodySize,
                                           allowed: ["text", "format", "scale", "border", "ecc"])
        let text = try body.string("text")
        guard !text.isEmpty, text.unicodeScalars.count <= 4096 else {
            throw Problem.invalidField("text", "must be 1 to 4096 characters")
        }
        let scale = try body.optionalInt("scale", range: QRRenderOptions.scaleRange) ?? 8
        let border = try body.optionalInt("border", range: QRRenderOptions.borderRange) ?? 4
        let ecc: QRErrorCorrection
        switch try body.optionalString("ecc") ?? "M" {  // exactly as the OpenAPI enum spells them
        case "L": ecc = .low
        case "M": ecc = .medium
        case "Q": ecc = .quartile
        case "H": ecc = .high
        default: throw Problem.invalidField("ecc", "must be L, M, Q or H")
        }
        let format: QRFormat
        if let name = try body.optionalString("format") {
            guard let f = QRFormat(rawValue: name) else { throw Problem.invalidField("format", "must be png or svg") }
            format = f
        } else {
            format = try QRFormat.negotiate(request) ?? .png
        }
        return try format.response(for: text, options: QRRenderOptions(scale: scale, border: border), errorCorrection: ecc)
    }
}
