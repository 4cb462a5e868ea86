import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VouchHTTP
@testable import VouchServer

/// The problem types the wallet routes answer are the ones the OpenAPI document declares for them.
///
/// `WalletRouteTests` drives every refusal of the offer and wallet routes; each answer it checks goes
/// through ``expectDeclared(_:sourceLocation:)`` too, so a new refusal (or a changed status) that the
/// spec does not declare for its operation fails here, in-process, before `make contract` would catch
/// it against a live server.
@Suite struct WalletProblemTests {
    @Test("every declared wallet problem is in the served document, as its operation's type enum")
    func tableIsRendered() {
        let yaml = OpenAPIDocument.yaml
        for (operation, problems) in OpenAPIDocument.walletProblems {
            let start = try! #require(yaml.range(of: "\n      operationId: \(operation)\n"), "\(operation) missing")
            let rest = yaml[start.upperBound...]
            let section = rest[..<(rest.range(of: "\n  /")?.lowerBound ?? rest.endIndex)]
            for (status, kinds) in problems {
                let line = "        \"\(status)\": {description: \"" + kinds.map { Problem.typeBase + $0 }.joined(separator: " or ")
                #expect(section.contains(line), "\(operation) \(status)")
                #expect(section.contains(OpenAPIDocument.problemSchema(kinds)), "\(operation) \(status)")
            }
        }
    }

    @Test("the wallet operations are the ones the table knows, and only problem statuses are in it")
    func tableCoversTheRoutes() {
        #expect(Set(OpenAPIDocument.walletProblems.keys) == ["createOffer", "redeemOffer", "refreshWallet", "revokeWallet"])
        for (_, problems) in OpenAPIDocument.walletProblems {
            // 4xx, and 503 (the store unreachable, or the issuer's clock outside its certificate).
            #expect(problems.allSatisfy { ((400...499).contains($0.status) || $0.status == 503) && !$0.kinds.isEmpty })
            #expect(Set(problems.map(\.status)).count == problems.count, "one entry per status")
        }
    }
}

/// The wallet operation a problem's `instance` (the request path) belongs to.
func walletOperation(path: String) -> String? {
    switch path {
    case "/v1/offers": "createOffer"
    case "/v1/wallet/redeem": "redeemOffer"
    case "/v1/wallet/refresh": "refreshWallet"
    case _ where path.hasPrefix("/v1/wallets/") && path.hasSuffix("/revoke"): "revokeWallet"
    default: nil
    }
}

/// Expects a problem answer of a wallet route whose status and type the spec declares for that route.
func expectDeclared(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
    let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any]
    guard let instance = object?["instance"] as? String, let type = object?["type"] as? String,
          let operation = walletOperation(path: instance)
    else {
        Issue.record("not a problem of a wallet route: \(String(buffer: response.body))", sourceLocation: sourceLocation)
        return
    }
    let kind = String(type.dropFirst(Problem.typeBase.count))
    let declared = OpenAPIDocument.walletProblems[operation]?.first { $0.status == Int(response.status.code) }
    #expect(declared?.kinds.contains(kind) == true,
            "\(operation) answers \(response.status.code) \(kind), which the spec does not declare for it",
            sourceLocation: sourceLocation)
}
