import VouchHTTP
import Foundation
import Hummingbird

/// `GET /wallet` and its files, and `GET /desk`: public, self-contained pages.
///
/// The QR library is Debian's `node-qrcode-generator` (`make deps`), read
/// once from its system path when the routes are built and served as
/// `/wallet/qrcode.js`; nothing is vendored. Without the package the pages
/// still load, and `/wallet/qrcode.js` answers 503 naming the package.
struct WalletPageController {
    /// Where Debian installs the browser build of qrcode-generator.
    static let qrLibraryPaths = ["/usr/share/javascript/qrcode-generator/qrcode.js",
                                 "/usr/share/nodejs/qrcode-generator/qrcode.js"]

    let qrLibrary: [UInt8]?

    init(qrLibraryPaths: [String] = Self.qrLibraryPaths) {
        qrLibrary = qrLibraryPaths.lazy.compactMap { FileManager.default.contents(atPath: $0) }.first.map { [UInt8]($0) }
    }

    /// Own origin only; no inline script or style; the service worker limited to `/wallet`.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "connect-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; "
        + "frame-ancestors 'none'"

    func addRoutes(to router: Router<VouchRequestContext>) {
        let files: [(String, String, String)] = [
            ("/wallet", "text/html; charset=utf-8", WalletPage.html),
            ("/wallet/app.js", "text/javascript; charset=utf-8", WalletScript.source),
            ("/wallet/logcheck.js", "text/javascript; charset=utf-8", WalletLogCheck.source),
            ("/wallet/style.css", "text/css; charset=utf-8", WalletPage.style),
            ("/wallet/manifest.webmanifest", "application/manifest+json", WalletPage.manifest),
            ("/wallet/icon.svg", "image/svg+xml", WalletPage.icon),
            ("/desk", "text/html; charset=utf-8", DeskPage.html),
            ("/desk/app.js", "text/javascript; charset=utf-8", DeskPage.script),
            ("/desk/style.css", "text/css; charset=utf-8", DeskPage.style),
        ]
        for (path, type, text) in files {
            let bytes = Array(text.utf8)
            router.get(RouterPath(path)) { _, _ in Self.response(bytes, type: type) }
        }
        let worker = Array(WalletPage.serviceWorker.utf8)
        router.get("/wallet/sw.js") { _, _ in
            var response = Self.response(worker, type: "text/javascript; charset=utf-8")
            // Registered from /wallet/sw.js with scope /wallet (the page itself has no trailing slash).
            response.headers[.init("Service-Worker-Allowed")!] = "/wallet"
            return response
        }
        let library = qrLibrary
        router.get("/wallet/qrcode.js") { _, _ in
            guard let library else {
                throw Problem.unavailable("the QR library is not installed: install Debian's node-qrcode-generator (make deps)")
            }
            return Self.response(library, type: "text/javascript; charset=utf-8")
        }
    }

    static func response(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [
            .contentType: type, .cacheControl: "no-cache", .contentSecurityPolicy: contentSecurityPolicy,
            .init("X-Content-Type-Options")!: "nosniff", .init("Referrer-Policy")!: "no-referrer",
        ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
