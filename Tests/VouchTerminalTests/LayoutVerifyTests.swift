import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VouchTerminal

/// `POST /v1/verify` on a terminal reads codes a US-configured scanner typed
/// through other layouts, and names the layout; non-codes stay non-codes.
@Suite struct LayoutVerifyTests {
    static func body(_ token: String, policy: String = "static-age-18") throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: ["token": token, "policy": policy]), as: UTF8.self)
    }

    @Test func codesTypedThroughEachLayoutVerifyAndNonCodesDoNot() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let services = try TerminalRouterTests().terminalServices(rig)
        var issued: [String] = []
        for _ in 0..<4 { issued.append(try await rig.issue()) }
        let tokens = issued
        let app = Application(router: buildTerminalRouter(terminal: services))
        try await app.test(.router) { client in
            #expect(await services.sync.syncOnce())
            for (layout, token) in zip(["de", "ch", "fr", "uk"], tokens) {
                let typed = KeyboardTyping.type(token, through: layout)
                let answer = try await client.post("/v1/verify", json: try Self.body(typed))
                #expect(answer.json["decision"] as? String == "accept", "\(layout): \(answer.text)")
                // UK types a code unchanged: it verifies as typed, no layout to name.
                #expect(answer.json["layout"] as? String == (layout == "uk" ? nil : layout), "\(answer.text)")
            }
            // A forged code typed through a layout: bad_signature is not "past the signature", so the
            // answer is the typed text's own (unrecognized), never the forged code's.
            var forged = Array(tokens[0].utf8)
            forged[forged.count - 2] = forged[forged.count - 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            let typedForgery = KeyboardTyping.type(String(decoding: forged, as: UTF8.self), through: "fr")
            let forgery = try await client.post("/v1/verify", json: try Self.body(typedForgery))
            #expect(forgery.json["decision"] as? String == "reject")
            #expect(forgery.json["layout"] == nil, "\(forgery.text)")
            for layout in ["de", "ch", "fr", "uk"] {
                for text in ["4006381333931", "https://shop.example/p/4006381333931?ref=till", "hello world 123"] {
                    let typed = KeyboardTyping.type(text, through: layout)
                    let answer = try await client.post("/v1/verify", json: try Self.body(typed))
                    #expect(answer.json["reason"] as? String == "unrecognized", "\(layout) \(typed): \(answer.text)")
                    #expect(answer.json["layout"] == nil)
                }
            }
        }
    }
}
