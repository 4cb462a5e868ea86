import VouchHTTP
import Foundation
import Hummingbird
import VouchCore
import VouchIssuer
import VouchQR
import VouchStore

/// `POST /v1/offers` (issue scope) and `POST /v1/wallets/{id}/revoke` (revoke scope).
///
/// The desk calls `/v1/offers` after its own identity check. The birth date
/// of an age offer is turned into the thresholds met at once and dropped with
/// the request; the store keeps the thresholds, or the concession and its end
/// date, and the hash of the offer secret. The secret travels in the redeem
/// link's fragment (`/wallet#offer=...`), which browsers never send to a
/// server, so it appears in no access log.
struct OfferController {
    let services: VouchServices

    func addRoutes(issue: RouterGroup<VouchRequestContext>, revoke: RouterGroup<VouchRequestContext>) {
        issue.post("/v1/offers", use: create)
        revoke.post("/v1/wallets/:id/revoke", use: self.revoke)
    }

    var wallet: WalletConfiguration { services.configuration.wallet }

    @Sendable func create(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: services.configuration.maximumBodySize,
                                           allowed: ["kind", "birth_date", "thresholds", "concession", "valid_until",
                                                     "batch_size"])
        let format = try QRFormat.negotiate(request)
        let batchSize = try body.optionalInt("batch_size", range: 1...wallet.maximumBatchSize) ?? wallet.defaultBatchSize
        let now = Date()
        let issuer = services.issuer
        let created: (offer: Offer, secret: [UInt8])
        switch try body.string("kind") {
        case "age":
            for field in ["concession", "valid_until"] where body.has(field) {
                throw Problem.invalidField(field, "belongs to a concession offer, not an age offer")
            }
            let thresholds = try body.optionalIntArray("thresholds", range: Claims.ageThresholdRange, maxCount: 16)
            let birthDate = try body.string("birth_date")
            let met = try AttestationController(services: services).issuing {
                try issuer.ageThresholdsMet(birthDate: birthDate, now: now, thresholds: thresholds)
            }
            created = try await storing { try await services.wallets.saveOffer(kind: .age, ageOver: met, batchSize: batchSize,
                                                                              now: now, lifetime: TimeInterval(wallet.offerLifetime)) }
        case "concession":
            for field in ["birth_date", "thresholds"] where body.has(field) {
                throw Problem.invalidField(field, "belongs to an age offer, not a concession offer")
            }
            let concession = try body.string("concession"), until = try body.string("valid_until")
            _ = try AttestationController(services: services).issuing {
                try issuer.concessionEnd(concession, validUntil: until, now: now)
            }
            created = try await storing {
                try await services.wallets.saveOffer(kind: .concession, concession: concession, validUntil: until,
                                                 batchSize: batchSize, now: now,
                                                 lifetime: TimeInterval(wallet.offerLifetime))
            }
        default:
            throw Problem.invalidField("kind", "must be \"age\" or \"concession\"")
        }
        let url = Self.redeemURL(publicURL: services.configuration.publicURL, secret: created.secret,
                                 batchSize: created.offer.batchSize)
        if let format {
            return try format.response(for: url, options: QRRenderOptions(), status: .created)
        }
        return JSON.response(["offer_id": created.offer.id, "redeem_url": url,
                              "expires_at": ISOTime.utc(UInt64(created.offer.expiresAt.timeIntervalSince1970)),
                              "batch_size": created.offer.batchSize], status: .created)
    }

    /// `<public URL>/wallet#offer=<base64url secret>&batch=<codes>`: the wallet asks for that many codes.
    static func redeemURL(publicURL: String, secret: [UInt8], batchSize: Int) -> String {
        var base = Substring(publicURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + "/wallet#offer=" + Base64URLText.encode(secret) + "&batch=" + String(batchSize)
    }

    func storing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError where error.code == .invalidInput {
            throw Problem.badRequest("the offer is not consistent")
        }
    }

    // MARK: - Lost phone

    @Sendable func revoke(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard id.utf8.count == 32, [UInt8](hexString: id) != nil, id == id.lowercased() else {
            throw Problem.invalidField("id", "must be the 32 lowercase hex digits of a wallet id")
        }
        let revocation: WalletRevocation
        do {
            revocation = try await services.writer.revokeWallet(id: id)
        } catch let error as StoreError where error.code == .notFound {
            throw Problem.unknownWallet("id")
        }
        for change in revocation.changes {
            await services.statusLists.stateChanged(change)
        }
        return JSON.response(["wallet_id": id, "revoked_codes": revocation.changes.count,
                              "already_revoked": revocation.wasRevoked])
    }
}
