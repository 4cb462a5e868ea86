import Foundation
import Hummingbird
import VouchCore
import VouchCrypto
import VouchHTTP
import VouchIssuer
import VouchStore
import VouchVerifier

/// The public routes: verify, policies, trust, health.
struct PublicController {
    let services: VouchServices

    func addRoutes(to router: Router<VouchRequestContext>) {
        router.post("/v1/verify", use: verify)
        router.get("/v1/policies", use: policies)
        router.get("/v1/policies/:id", use: policy)
        router.get("/v1/trust", use: trust)
        router.get("/healthz") { _, _ in JSON.response(["status": "ok"]) }
        router.get("/readyz", use: ready)
    }

    /// A decision is a normal answer: 200 for accept and reject alike.
    @Sendable func verify(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: services.configuration.maximumBodySize,
                                           allowed: ["token", "policy"])
        let token = try body.string("token")
        let policy = try body.string("policy")
        let now = Date()
        var decision = try services.verifier.verify(token, policyID: policy, now: now)
        if decision.reason == .statusUnavailable {
            // The cache lacks this code's list, or holds it too old or expired: bring it up to date
            // from the store and decide again. Revocations reach the cache when they happen
            // (StatusLists.stateChanged), so the common case pays nothing here.
            await services.statusLists.refreshCache(for: token, now: now)
            decision = try services.verifier.verify(token, policyID: policy, now: now)
        }
        return JSON.response(decision.jsonValue)
    }

    @Sendable func policies(_ request: Request, context: VouchRequestContext) async throws -> Response {
        JSON.response(["policies": services.verifier.policies.all.map(\.jsonObject)])
    }

    @Sendable func policy(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let policy = services.verifier.policies.policy(id: id) else { throw Problem.notFound("no policy \(id)") }
        return JSON.response(policy.jsonObject)
    }

    /// The trust bundle a terminal syncs: roots, issuer certificates, policies.
    ///
    /// JSON for people; the signed COSE_Sign1 form (what terminals verify)
    /// with `?format=cose` or `Accept: application/cose`. Both carry the
    /// signed bundle's `iat` and ETag, and answer `If-None-Match` with 304.
    @Sendable func trust(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let format = request.uri.queryParameters.get("format").map { String($0) }
        guard format == nil || format == "json" || format == "cose" else {
            throw Problem.invalidField("format", "must be json or cose")
        }
        let snapshot = services.verifier.trustStore.snapshot
        let published = try services.trustBundles.current(trust: snapshot, policies: services.verifier.policies)
        let cose = format == "cose" || (request.headers[.accept] ?? "").lowercased().contains("application/cose")
        let etag = cose ? published.etag : "W/" + published.etag
        if TrustBundlePublisher.matches(ifNoneMatch: request.headers[.ifNoneMatch], etag: published.etag) {
            return Response(status: .notModified, headers: [.eTag: etag, .cacheControl: "no-cache"])
        }
        if cose {
            return Response(status: .ok, headers: [.contentType: SignedTrustBundle.mediaType, .eTag: etag,
                                                   .cacheControl: "no-cache"],
                            body: .init(byteBuffer: ByteBuffer(bytes: published.signed.bytes)))
        }
        let formatter = ISO8601DateFormatter()
        return JSON.response([
            "iat": Int(published.signed.bundle.issuedAt),
            "roots": snapshot.roots.map { ["pem": $0.pemRepresentation, "sha256": $0.sha256Fingerprint.hexString] },
            "issuers": snapshot.issuers.map {
                ["pem": $0.certificate.pemRepresentation, "kid": $0.certificate.kid.hexString, "sha256": $0.fingerprint,
                 "not_after": formatter.string(from: $0.certificate.notValidAfter), "trusted": $0.trustedInterval != nil]
            },
            "policies": services.verifier.policies.all.map(\.jsonObject),
            "status_lists": published.signed.bundle.statusLists,
        ], headers: [.eTag: etag, .cacheControl: "no-cache"])
    }

    @Sendable func ready(_ request: Request, context: VouchRequestContext) async throws -> Response {
        do {
            try await services.store.checkReadiness()
        } catch {
            throw Problem.unavailable("the store is not reachable")
        }
        guard services.issuer.clockFits(Date()) else {
            throw Problem.unavailable("the issuer certificate is not valid at this node's time; check the clock")
        }
        let size = await services.writer.treeSize
        return JSON.response(["status": "ready", "log_size": size])
    }
}
