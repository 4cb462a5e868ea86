import Testing
import VouchHTTP
import VouchServer

/// `VOUCH_OFFER_SECONDS` and `VOUCH_WALLET_*`: defaults, and a bad value names its variable.
@Suite struct WalletConfigurationTests {
    @Test func defaultsAndOverrides() throws {
        let defaults = try WalletConfiguration(environment: [:])
        #expect(defaults == WalletConfiguration(offerLifetime: 600, defaultBatchSize: 20, maximumBatchSize: 50,
                                                refreshInterval: 60))
        let set = try WalletConfiguration(environment: ["VOUCH_OFFER_SECONDS": "120", "VOUCH_WALLET_MAX_BATCH": "10",
                                                        "VOUCH_WALLET_REFRESH_SECONDS": "5"])
        #expect(set.offerLifetime == 120 && set.maximumBatchSize == 10 && set.defaultBatchSize == 10
                && set.refreshInterval == 5)
        let server = try ServerConfiguration(environment: ["VOUCH_WALLET_BATCH_SIZE": "7"])
        #expect(server.wallet.defaultBatchSize == 7)
    }

    @Test(arguments: [("VOUCH_OFFER_SECONDS", "5"), ("VOUCH_WALLET_MAX_BATCH", "0"), ("VOUCH_WALLET_BATCH_SIZE", "51"),
                      ("VOUCH_WALLET_REFRESH_SECONDS", "soon")])
    func badValues(_ variable: String, _ value: String) {
        #expect {
            try WalletConfiguration(environment: [variable: value])
        } throws: { ($0 as? ConfigurationError)?.variable == variable }
    }
}
