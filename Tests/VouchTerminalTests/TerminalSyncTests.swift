import VouchServerTesting
import Foundation
import HummingbirdTesting
import Testing
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchServer
import VouchTerminal
import VouchVerifier

/// The terminal role against a live issuer on a random loopback port:
/// sync, ETags, offline operation, the offline window, signed bundles, the clock floor.
@Suite struct TerminalSyncTests {
    @Test func syncsFromLiveIssuerThenVerifiesWithUpstreamStopped() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let terminal = try rig.terminal()
        let upstream = CountingUpstream(base: URLSessionUpstream(timeout: 30))
        let logger = rig.issuer.logs.logger

        let (token, port) = try await rig.issuer.application().test(.live) { client in
            let port = try #require(client.port)
            let issued = try await client.post("/v1/attestations/age", json: #"{"birth_date": "2000-01-01", "thresholds": [18]}"#,
                                               key: rig.issuer.adminKey)
            let list = try #require(issued.json["attestations"] as? [[String: Any]])
            let sync = TrustSync(terminal: terminal, upstream: URL(string: "http://127.0.0.1:\(port)")!,
                                 client: upstream, logger: logger)
            #expect(await sync.syncOnce())
            #expect(terminal.snapshot?.verifier.policies.policy(id: "static-age-18") != nil)
            #expect(terminal.bundleETag != nil)
            #expect(terminal.statusLists.all.count == 2, "the list the code points at, and the next one, came with the sync")
            // Nothing changed upstream: ETags turn the next sync into three 304s (bundle, two lists).
            #expect(await sync.syncOnce())
            #expect(upstream.notModified == 3)
            return (try #require(list.first?["token"] as? String), port)
        }

        // The issuer is stopped now. Verifying makes no request at all.
        let before = upstream.requests
        let accepted = try terminal.verify(token, policyID: "static-age-18")
        #expect(accepted.decision.accepted, "\(accepted.decision.reason)")
        #expect(try terminal.verify("5012345678900", policyID: "static-age-18").decision.reason == .unrecognized)
        #expect(upstream.requests == before, "verification must not touch the network")

        // A sync now fails; the terminal says so and keeps verifying with its last good data.
        let sync = TrustSync(terminal: terminal, upstream: URL(string: "http://127.0.0.1:\(port)")!,
                             client: upstream, logger: logger)
        #expect(await sync.syncOnce() == false)
        #expect(terminal.status().offline)
        #expect(terminal.status().lastError == "Upstream unreachable")
        #expect(try terminal.verify(token, policyID: "static-age-18").decision.accepted)

        // A restart comes back from the data directory alone.
        let restarted = try rig.terminal()
        #expect(try restarted.verify(token, policyID: "static-age-18").decision.accepted)
        #expect(restarted.bundleETag == terminal.bundleETag)
    }

    @Test("a code from the issuer's next status list verifies at a terminal that synced before that list was used")
    func nextListIsKnownBeforeItsFirstCode() async throws {
        let rig = try await TerminalFixture(statusListSize: 4)
        defer { rig.cleanUp() }
        let terminal = try rig.terminal()
        let sync = TrustSync(terminal: terminal, upstream: URL(string: "http://issuer.invalid")!,
                             client: InProcessUpstream(fixture: rig), logger: rig.issuer.logs.logger)
        #expect(await sync.syncOnce())
        // Four codes fill list 0; the fifth is the first in list 1, which the terminal fetched empty.
        var tokens: [String] = []
        for _ in 0..<5 { tokens.append(try await rig.issue()) }
        let fifth = try DecodedAttestation(text: tokens[4]).claims.status
        #expect(fifth?.uri.hasSuffix("/v1/status/1") == true, "\(String(describing: fifth))")
        for token in tokens {
            let result = try terminal.verify(token, policyID: "static-age-18")
            #expect(result.decision.accepted, "\(result.decision.reason)")
        }
    }

    @Test func offlineWindowPassedMeansStatusUnavailable() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let terminal = try rig.terminal()
        let token = try await rig.issue()
        let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(200 * 86_400)).prefix(10)
        let student = try await rig.issue("/v1/attestations/concession",
                                          json: #"{"concession": "student", "valid_until": "\#(until)"}"#)
        let upstream = InProcessUpstream(fixture: rig)
        let sync = TrustSync(terminal: terminal, upstream: URL(string: "http://issuer.invalid")!, client: upstream,
                             logger: rig.issuer.logs.logger)
        let syncedAt = Date()
        #expect(await sync.syncOnce(now: { syncedAt }))
        let policy = try #require(terminal.snapshot?.verifier.policies.policy(id: "static-age-18"))
        let window = TimeInterval(policy.maxStatusAge)

        let inside = try terminal.verify(token, policyID: "static-age-18", now: syncedAt.addingTimeInterval(window - 60))
        #expect(inside.decision.accepted, "\(inside.decision.reason)")
        #expect(!inside.offlineTooLong)

        // Past the window nothing is accepted, whatever the list held says.
        let late = syncedAt.addingTimeInterval(window + 60)
        let outside = try terminal.verify(token, policyID: "static-age-18", now: late)
        #expect(outside.decision.reason == .statusUnavailable)
        #expect(outside.offlineTooLong)
        // Also under a policy whose status check is optional.
        #expect(terminal.snapshot?.verifier.policies.policy(id: "student-discount")?.status == .optional)
        #expect(try terminal.verify(student, policyID: "student-discount", now: syncedAt).decision.accepted)
        #expect(try terminal.verify(student, policyID: "student-discount", now: late).decision.reason == .statusUnavailable)
        // An earlier failure still says what it is.
        #expect(try terminal.verify("5012345678900", policyID: "static-age-18", now: late).decision.reason == .unrecognized)

        // A sync just before (the upstream answers at its own time) restarts the window.
        upstream.setTime(syncedAt.addingTimeInterval(window - 30))
        #expect(await sync.syncOnce(now: { syncedAt.addingTimeInterval(window - 30) }))
        let resynced = try terminal.verify(token, policyID: "static-age-18", now: late)
        #expect(resynced.decision.accepted, "\(resynced.decision.reason)")
    }

    @Test func neverSyncedTerminalRejects() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let terminal = try rig.terminal()
        let outcome = try terminal.verify(try await rig.issue(), policyID: "static-age-18")
        #expect(outcome.decision.reason == .statusUnavailable)
        #expect(terminal.status().offline)
    }

    @Test func bundlesThatDoNotVerifyAreRejectedAndChangeNothing() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let terminal = try rig.terminal()
        let good = try rig.published().signed.bytes

        var forged = good
        forged[forged.count - 1] ^= 0x01
        #expect(throws: TrustBundleError(.badSignature, "")) { try terminal.accept(signed: forged, etag: nil) }

        // Signed by a key whose chain ends in another root.
        let otherDirectory = rig.issuer.directory.appendingPathComponent("other")
        _ = try IssuerKeys.initialize(dataDirectory: otherDirectory)
        let other = try IssuerKeys.load(dataDirectory: otherDirectory)
        let foreign = try rig.bundle(iat: Date(), key: other.signingKey, certificate: other.certificate)
        #expect(throws: TrustBundleError(.untrustedSigner, "")) { try terminal.accept(signed: foreign.bytes, etag: nil) }

        #expect(throws: TrustBundleError(.malformed, "")) { try terminal.accept(signed: Array("{}".utf8), etag: nil) }
        #expect(terminal.snapshot == nil, "a rejected bundle installs nothing")

        // An older bundle than the one held is a rollback.
        try terminal.accept(signed: good, etag: nil)
        let older = try rig.bundle(iat: Date().addingTimeInterval(-3600))
        #expect(throws: TrustBundleError(.rollback, "")) { try terminal.accept(signed: older.bytes, etag: nil) }
    }

    @Test func clockSetBackUsesTheNewestBundleTimeAsFloor() async throws {
        let rig = try await TerminalFixture()
        defer { rig.cleanUp() }
        let terminal = try rig.terminal()
        let now = Date()
        // A code valid for one hour.
        let token = try await rig.issue(json: #"{"birth_date": "2000-01-01", "thresholds": [18], "valid_for": 3600}"#)
        // The upstream signed a bundle two hours later than this terminal's clock says.
        let floor = now.addingTimeInterval(2 * 3600)
        try terminal.accept(signed: rig.bundle(iat: floor).bytes, etag: nil, at: now)

        let outcome = try terminal.verify(token, policyID: "static-age-18", now: now.addingTimeInterval(60))
        #expect(outcome.decision.reason == .expired, "the floor, not the clock, decides")
        #expect(outcome.clockBehind)
        #expect(Int(outcome.time.timeIntervalSince1970) == Int(floor.timeIntervalSince1970))
        #expect(terminal.status(now: now).clockBehind)
        // At the clock's own time the same code would pass: it is the clock that is wrong.
        var noStatus = try #require(terminal.snapshot?.verifier.policies.policy(id: "static-age-18"))
        noStatus.status = .ignore
        let plain = try #require(terminal.snapshot).verifier
        #expect(try plain.verify(token, policy: noStatus, now: now.addingTimeInterval(60)).accepted)

        // The floor is kept even when the kept bundle is lost.
        try FileManager.default.removeItem(at: rig.directory.appendingPathComponent("terminal/trust.cose"))
        let restarted = try rig.terminal()
        #expect(restarted.snapshot == nil)
        #expect(Int(restarted.clockFloor.timeIntervalSince1970) == Int(floor.timeIntervalSince1970))
    }

    @Test func syncScheduleJittersAndBacksOff() {
        #expect(TrustSyncService.delay(interval: 300, failures: 0, jitter: 0) == 300)
        #expect(TrustSyncService.delay(interval: 300, failures: 0, jitter: 0.2) == 360)
        #expect(TrustSyncService.delay(interval: 300, failures: 1, jitter: 0) == 15)
        #expect(TrustSyncService.delay(interval: 300, failures: 3, jitter: 0) == 60)
        #expect(TrustSyncService.delay(interval: 300, failures: 30, jitter: 0) == 300)
    }
}
