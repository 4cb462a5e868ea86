import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VouchServer
import VouchTerminal

/// The OpenAPI document and the router describe the same routes.
@Suite struct OpenAPITests {
    /// `path -> methods` read from the document's `paths:` section.
    static func documentedRoutes(_ yaml: String) -> Set<String> {
        var routes = Set<String>()
        var inPaths = false
        var current: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if !line.hasPrefix(" ") && !line.isEmpty { break }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                current = String(line.dropFirst(2).dropLast())
            } else if let path = current, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let word = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch", "head"].contains(String(word)) {
                    routes.insert("\(word.uppercased()) \(path)")
                }
            }
        }
        return routes
    }

    @Test func documentMatchesTheRouter() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        let router = buildRouter(services: fixture.services, role: .all)  // every route of every role
        // Router paths print captures as "{id}" (older forms ":id" are normalised too). A catch-all "**"
        // (the tlog-tiles paths) cannot be an OpenAPI template; the document names it "{path}".
        let served = Set(router.routes.map { route in
            "\(route.method) " + "\(route.path)".split(separator: "/", omittingEmptySubsequences: false)
                .map { $0 == "**" ? "{path}" : $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                .joined(separator: "/")
        })
        let yaml = try await fixture.application().test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get).text
        }
        let documented = Self.documentedRoutes(yaml)
        #expect(documented.count >= 14)
        #expect(served.subtracting(documented).isEmpty, "routes missing from the document: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
    }
}
