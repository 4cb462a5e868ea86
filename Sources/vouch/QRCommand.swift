import VouchHTTP
import ArgumentParser
import Foundation
import VouchQR

/// `vouch qr TEXT --format png|svg|terminal [--out F]`.
struct QRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qr",
        abstract: "Render any text (usually a VCH1 code) as a QR code: PNG, SVG or terminal."
    )

    @Argument(help: "The text, or - to read it from standard input.") var text: String
    @Option(help: "png, svg or terminal (default: from --out's extension, else terminal).") var format: String?
    @Option(help: "Output file (default: standard output).") var out: String?
    @Option(help: "Pixels per module (1-64).") var scale = 8
    @Option(help: "Quiet zone in modules (0-32).") var border = 4
    @Option(help: "Error correction: L, M, Q or H.") var ecc = "M"

    func run() throws {
        let input = try Console.readText(text).trimmingCharacters(in: .newlines)
        let level: QRErrorCorrection
        switch ecc.uppercased() {
        case "L": level = .low
        case "M": level = .medium
        case "Q": level = .quartile
        case "H": level = .high
        default: throw CLIError.input("--ecc must be L, M, Q or H")
        }
        let resolved = try QROutput.format(format, path: out)
        try QROutput.write(text: input, to: out ?? "-", format: resolved,
                           options: QRRenderOptions(scale: scale, border: border), errorCorrection: level)
    }
}

/// Renders a QR code to a file or to standard output.
enum QROutput {
    enum Format: String { case png, svg, terminal }

    static func format(_ name: String?, path: String?) throws -> Format {
        if let name {
            guard let format = Format(rawValue: name.lowercased()) else {
                throw CLIError.input("--format must be png, svg or terminal")
            }
            return format
        }
        switch URL(fileURLWithPath: path ?? "-").pathExtension.lowercased() {
        case "png": return .png
        case "svg": return .svg
        default: return .terminal
        }
    }

    static func write(text: String, to path: String, format: Format?, options: QRRenderOptions,
                      errorCorrection: QRErrorCorrection = .medium) throws {
        let resolved = try format ?? self.format(nil, path: path)
        let code: QRCode
        do {
            code = try QRCode(text: text, errorCorrection: errorCorrection)
        } catch let error as QRError {
            throw CLIError.input("cannot make a QR code: \(error.reason)")
        }
        let bytes: [UInt8]
        do {
            switch resolved {
            case .png: bytes = try code.png(options: options)
            case .svg: bytes = Array(try code.svg(options: options).utf8)
            case .terminal: bytes = Array(try code.terminalText(border: options.border).utf8)
            }
        } catch let error as QRError {
            throw CLIError.input("cannot render the QR code: \(error.reason)")
        }
        if path == "-" {
            if resolved == .png && isatty(STDOUT_FILENO) != 0 {
                throw CLIError.input("refusing to write PNG bytes to a terminal; use --out FILE.png")
            }
            FileHandle.standardOutput.write(Data(bytes))
        } else {
            do {
                try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw CLIError.input("cannot write \(path): \(error.localizedDescription)")
            }
        }
    }
}
