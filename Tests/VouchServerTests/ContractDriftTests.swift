import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VouchServer

/// The drift schemathesis found, fixed on the server side, each case in-process.
@Suite struct ContractDriftTests {
    func withApp(_ body: @Sendable (ServerFixture, any TestClientProtocol) async throws -> Void) async throws {
        let fixture = try await ServerFixture()
        defer { fixture.cleanUp() }
        try await fixture.application().test(.router) { client in try await body(fixture, client) }
    }

    @Test("a known path with a method it does not serve is 405 with Allow; an unknown path stays 404", arguments: [
        ("/v1/attestations/age", HTTPRequest.Method.get, "POST"),
        ("/v1/attestations/age", .delete, "POST"),
        ("/v1/attestations/0123456789abcdef0123456789abcdef/revoke", .get, "POST"),
        ("/v1/policies", .post, "GET"),
        ("/v1/policies/alcohol-uk", .put, "GET"),
        ("/v1/log/tile/0/x001/234.p/17", .post, "GET"),
        ("/v1/verify", .patch, "POST"),
        ("/openapi.yaml", .options, "GET"),
    ])
    func methodNotAllowed(path: String, method: HTTPRequest.Method, allow: String) async throws {
        try await withApp { _, client in
            let response = try await client.execute(uri: path, method: method)
            #expect(response.status == .methodNotAllowed, "\(method) \(path): \(response.status)")
            #expect(response.headers[.allow] == allow)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.json["type"] as? String == "urn:vouch:problem:method-not-allowed")
        }
    }

    @Test func unknownPathsAreStill404() async throws {
        try await withApp { _, client in
            for path in ["/v1/nothing", "/v1/attestations", "/v1/attestations/x/y/z", "/v1/log/tile"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path): \(response.status)")
                #expect(response.headers[.allow] == nil)
            }
        }
    }

    @Test("/v1/trust refuses a format it does not have", arguments: ["xml", "", "COSE", "json1"])
    func trustFormat(format: String) async throws {
        try await withApp { _, client in
            let bad = try await client.execute(uri: "/v1/trust?format=\(format)", method: .get)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.json["field"] as? String == "format")
            #expect(try await client.execute(uri: "/v1/trust?format=json", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/v1/trust?format=cose", method: .get).status == .ok)
        }
    }

    @Test("an explicit null for an optional field is refused, not read as absent", arguments: [
        ("/v1/attestations/age", #"{"birth_date": "2000-01-01", "valid_for": null}"#, "valid_for"),
        ("/v1/attestations/age", #"{"birth_date": "2000-01-01", "thresholds": null}"#, "thresholds"),
        ("/v1/attestations/identity", #"{"given_name": "A", "family_name": "B", "birth_date": "2000-01-01", "nationality": null}"#,
         "nationality"),
        ("/v1/qr", #"{"text": "x", "ecc": null}"#, "ecc"),
    ])
    func nullIsNotAbsent(path: String, body: String, field: String) async throws {
        try await withApp { f, client in
            let response = try await client.post(path, json: body, key: f.adminKey)
            #expect(response.status == .unprocessableContent, "\(response.text)")
            #expect(response.json["field"] as? String == field, "\(response.text)")
        }
    }

    @Test("lengths are counted in characters, as the OpenAPI maxLength counts them")
    func lengthsInCharacters() async throws {
        try await withApp { f, client in
            let name = String(repeating: "é", count: 100)  // 200 bytes, 100 characters
            let ok = try await client.post("/v1/attestations/identity", json: #"{"given_name": "\#(name)", "family_name": "B", "birth_date": "2000-01-01"}"#,
                                           key: f.adminKey)
            #expect(ok.status == .created, "\(ok.text)")
            let long = try await client.post("/v1/attestations/identity",
                                             json: #"{"given_name": "\#(name)é", "family_name": "B", "birth_date": "2000-01-01"}"#,
                                             key: f.adminKey)
            #expect(long.status == .unprocessableContent && long.json["field"] as? String == "given_name", "\(long.text)")
            let reference = String(repeating: "ü", count: 256)
            let subject = try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01", "subject_ref": "\#(reference)"}"#,
                                                key: f.adminKey)
            #expect(subject.status == .created, "\(subject.text)")
        }
    }
}
