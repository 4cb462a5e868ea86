import VouchServerTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchServer

/// `POST /v1/verify` takes `VCP1:` presentations through the service's one Verifier (format.md §6).
@Suite struct VerifyPresentationRouteTests {
    @Test func presentationsGoThroughTheSameVerifier() async throws {
        let f = try await ServerFixture()
        defer { f.cleanUp() }
        try await f.application().test(.router) { client in
            func verify(_ token: String, _ policy: String) async throws -> String {
                let response = try await client.post("/v1/verify", json: #"{"token": "\#(token)", "policy": "\#(policy)"}"#)
                #expect(response.status == .ok, "\(response.text)")
                return response.json["reason"] as? String ?? response.text
            }
            let holder = try PrivateKey.generate(.es256)
            let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(100 * 86_400)).prefix(10)
            // Committed through the store as the routes do, so each code carries its log receipt (format.md §7).
            let slots = StatusReservations(f.services.statusLists.allocator)
            func logged(_ code: IssuedAttestation) async throws -> IssuedAttestation {
                try await slots.commit([code], to: f.services.writer, kid: f.services.issuer.kid)[0]
            }
            let student = try await logged(
                try f.services.issuer.issueConcession("student", validUntil: String(until), now: Date(),
                                                      holderKey: holder.publicKey, status: { try slots.reserve() }))
            let now = UInt64(Date().timeIntervalSince1970)
            let shown = try Presentation.sign(credential: student.coseBytes, time: now) { try holder.signature(for: $0) }
            #expect(try await verify(shown.text, "student-discount") == "ok")
            #expect(try await verify(shown.text, "student-discount") == "replayed")
            // The static form of the same code still works where binding is optional.
            #expect(try await verify(student.text, "student-discount") == "ok")

            let thief = try PrivateKey.generate(.es256)
            let stolen = try Presentation.sign(credential: student.coseBytes, time: now) { try thief.signature(for: $0) }
            #expect(try await verify(stolen.text, "student-discount") == "bad_holder_signature")
            let stale = try Presentation.sign(credential: student.coseBytes, time: now - 3600) {
                try holder.signature(for: $0)
            }
            #expect(try await verify(stale.text, "student-discount") == "presentation_expired")

            // Age sales require binding: the static code is refused, the presentation passes the holder checks
            // and then needs a status slot (this code has none).
            let adult = try await logged(try f.services.issuer.issueAge(over: 18, now: Date(), holderKey: holder.publicKey))
            #expect(try await verify(adult.text, "alcohol-uk") == "not_holder_bound")
            let presented = try Presentation.sign(credential: adult.coseBytes, time: now) { try holder.signature(for: $0) }
            #expect(try await verify(presented.text, "alcohol-uk") == "status_unavailable")
            #expect(try await verify("VCP1:NOT BASE45!", "alcohol-uk") == "malformed")
        }
    }
}
