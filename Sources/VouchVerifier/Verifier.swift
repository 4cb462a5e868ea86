public import Foundation
import VouchCore
import VouchCrypto

/// Checks a scanned code against a policy, offline.
///
/// `verify` returns a ``Decision`` whose reason is the first check that
/// failed, in the order of format.md §3; a rejected code is a normal answer,
/// not an error. It makes no network request: trust, policies and status come
/// from what the terminal already holds.
public struct Verifier: Sendable {
    public let trustStore: TrustStore
    public let policies: PolicyStore
    public let statusSource: any StatusSource
    public let replayCache: ReplayCache

    public init(trustStore: TrustStore, policies: PolicyStore, statusSource: any StatusSource = NoStatusSource(),
                replayCache: ReplayCache = ReplayCache()) {
        self.trustStore = trustStore
        self.policies = policies
        self.statusSource = statusSource
        self.replayCache = replayCache
    }

    /// Why a verification could not run at all.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Verifies `text` under the policy named `policyID`.
    public func verify(_ text: String, policyID: String, now: Date = Date()) throws -> Decision {
        guard let policy = policies.policy(id: policyID) else {
            return Decision(reason: .unknownPolicy, policyID: policyID)
        }
        return try verify(text, policy: policy, now: now)
    }

    /// Verifies `text`, a `VCH1:` code or a `VCP1:` presentation, under `policy`.
    ///
    /// - Throws: ``Failure`` only when the replay cache cannot record a
    ///   single-use code or a presentation (it is full of unexpired entries).
    public func verify(_ text: String, policy: Policy, now: Date = Date()) throws -> Decision {
        func reject(_ reason: Decision.Reason, _ type: AttestationType? = nil) -> Decision {
            Decision(reason: reason, policyID: policy.id, type: type)
        }
        let scanned: ScannedCode
        do {
            scanned = try ScannedCode(text: text)
        } catch {
            return reject(Decision.Reason(rawValue: error.code.reasonCode))
        }
        let decoded = scanned.credential
        let claims = decoded.claims
        let type = claims.type

        // Issuer: known by kid, chained to a root, valid at iat, allowed by the policy.
        let trust = trustStore.snapshot
        let candidates = trust.issuers(kid: decoded.kid)
        guard !candidates.isEmpty else { return reject(.unknownIssuer, type) }
        let issuedAt = Date(timeIntervalSince1970: TimeInterval(claims.issuedAt))
        let trusted = candidates.filter { issuer in
            guard let interval = issuer.trustedInterval, interval.contains(issuedAt) else { return false }
            return policy.issuers.map { $0.contains(issuer.fingerprint) } ?? true
        }
        guard !trusted.isEmpty else { return reject(.untrustedIssuer, type) }
        let toBeSigned = decoded.sign1.toBeSigned()
        guard trusted.contains(where: {
            $0.certificate.publicKey.algorithm.coseValue == Int(decoded.algorithm)
                && $0.certificate.publicKey.isValidSignature(decoded.sign1.signature, for: toBeSigned)
        }) else { return reject(.badSignature, type) }
        if let failure = Self.receiptFailure(decoded, policy: policy, receiptKeys: trust.receiptKeys) {
            return reject(failure, type)
        }

        // Holder binding (format.md §6).
        let nowSeconds = now.timeIntervalSince1970
        let skew = TimeInterval(policy.clockSkew)
        var presentation: Presentation?
        switch (scanned, policy.holderBinding) {
        case (.attestation, .required): return reject(.notHolderBound, type)
        case (.attestation, _), (.presentation, .ignore): break
        case (.presentation(let shown), _):
            if let reason = holderCheck(shown, policy: policy, now: nowSeconds) { return reject(reason, type) }
            presentation = shown
        }

        // Time.
        if TimeInterval(claims.issuedAt) > nowSeconds + skew { return reject(.notYetValid, type) }
        if TimeInterval(claims.expiresAt) < nowSeconds - skew { return reject(.expired, type) }
        if let maxAge = policy.maxTokenAge, nowSeconds - TimeInterval(claims.issuedAt) > TimeInterval(maxAge) {
            return reject(.tooOld, type)
        }

        // What it says.
        guard policy.accept.contains(type) else { return reject(.wrongType, type) }
        guard policy.isRequirementMet(by: claims, now: now) else { return reject(.requirementNotMet, type) }

        // Revocation.
        if policy.status != .ignore {
            let lookup = claims.status.map {
                statusSource.status(of: $0, now: now, maximumAge: TimeInterval(policy.maxStatusAge))
            } ?? .unavailable
            switch lookup {
            case .valid: break
            case .revoked: return reject(.revoked, type)
            case .suspended: return reject(.suspended, type)
            case .unavailable: if policy.status == .required { return reject(.statusUnavailable, type) }
            }
        }

        // Replay, recorded only once everything else passed: the presentation for its window, then a single-use cti.
        if let presentation {
            let until = presentation.time + UInt64(presentationWindow(policy))
            switch replayCache.record(presentationSignature: presentation.signature, expiresAt: until, now: now) {
            case .fresh: break
            case .replayed: return reject(.replayed, type)
            case .full: throw Failure(description: "replay cache is full of unexpired entries; cannot record a presentation")
            }
        }
        if policy.singleUse {
            switch replayCache.record(tokenID: claims.tokenID, expiresAt: claims.expiresAt, now: now) {
            case .fresh: break
            case .replayed: return reject(.replayed, type)
            case .full: throw Failure(description: "replay cache is full of unexpired codes; cannot record a single-use code")
            }
        }
        return Decision(reason: .ok, policyID: policy.id, type: type, disclosed: disclose(claims, policy: policy, now: now))
    }

    /// The claims the policy names, and only those. An `age_over_NN` name is
    /// disclosed as true when the code proves it (an over-21 code proves over 18),
    /// and left out otherwise, so a decision never shows which other thresholds a code carries.
    func disclose(_ claims: Claims, policy: Policy, now: Date) -> [String: Decision.DisclosedValue] {
        var out: [String: Decision.DisclosedValue] = [:]
        for name in policy.disclose {
            if let threshold = Claims.ageThreshold(name) {
                var probe = policy
                probe.require = Policy.Requirement(ageOver: threshold)
                probe.rule = nil
                if claims.type == .age || claims.type == .identity, probe.isRequirementMet(by: claims, now: now) {
                    out[name] = .bool(true)
                }
                continue
            }
            switch name {
            case "vct": out[name] = .text(claims.type.rawValue)
            case "iss": out[name] = .text(claims.issuer)
            case "exp": out[name] = .number(claims.expiresAt)
            case "iat": out[name] = .number(claims.issuedAt)
            case "concession": if let c = claims.concession { out[name] = .text(c) }
            case "given_name": if let v = claims.identity?.givenName { out[name] = .text(v) }
            case "family_name": if let v = claims.identity?.familyName { out[name] = .text(v) }
            case "birth_date": if let v = claims.identity?.birthDate { out[name] = .text(v) }
            case "nationality": if let v = claims.identity?.nationality { out[name] = .text(v) }
            case "document_number": if let v = claims.identity?.documentNumber { out[name] = .text(v) }
            default: break
            }
        }
        return out
    }
}
