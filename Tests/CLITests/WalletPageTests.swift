import Foundation
import Testing

/// The wallet page in headless Chromium against a real `vouch serve`, driven by
/// `Tests/WalletTests/wallet_page.py` (zxing-cpp from `.venv` reads the QR codes from screenshots).
///
/// `VOUCH_UPDATE_SCREENSHOTS=1` also rewrites `docs/wallet-phone.png`.
@Suite(.serialized) struct WalletPageTests {
    func run(_ checks: [String]) async throws -> (status: Int32, output: String) {
        var arguments = [CLI.executable.path, CLI.packageRoot.path]
        if ProcessInfo.processInfo.environment["VOUCH_UPDATE_SCREENSHOTS"] == "1" {
            arguments += ["--screenshots", CLI.packageRoot.appendingPathComponent("docs").path]
        }
        return try await PythonDriver.run(script: "Tests/WalletTests/wallet_page.py", arguments: arguments + checks)
    }

    /// Redeem; pycose and POST /v1/verify: accept, replayed, presentation_expired 90 s late, not_holder_bound;
    /// offline from the service worker; top-up once the server is back.
    @Test func walletPageInHeadlessChromium() async throws {
        let result = try await run(["wallet-verify"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// The wallet's own log check through a proxy: honest, every code reads "In the public log" and the CDP network
    /// log holds only tile, bundle and checkpoint URLs; a lying entry bundle leaves both codes kept as evidence.
    @Test func walletChecksItsCodesInThePublicLog() async throws {
        let result = try await run(["log"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// `vouch wallet redeem` and `refresh` against a live server; the CLI's presentation checked with pycose and accepted.
    @Test func walletCLIRedeemsAndRefreshes() async throws {
        let result = try await run(["cli"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// The desk page makes an offer (API key in sessionStorage only); the wallet page redeems its QR code.
    @Test func deskPageMakesAnOfferThePhoneRedeems() async throws {
        let result = try await run(["desk"])
        #expect(result.status == 0, "\(result.output)")
    }

    /// docs/nginx-vouch.conf with a self-signed certificate: /wallet over https redeems and shows a code.
    @Test func walletPageThroughNginx() async throws {
        let result = try await run(["nginx"])
        #expect(result.status == 0, "\(result.output)")
    }
}
