import VouchHTTP
import Foundation
import Hummingbird
import Metrics
import VouchCore
import VouchCrypto
import VouchIssuer
import VouchStore

/// `POST /v1/wallet/redeem` and `POST /v1/wallet/refresh`: public routes,
/// authorized by the offer secret and by the wallet key's signature.
///
/// Everything a request can get wrong is checked before a status slot is
/// reserved or a code signed; the store checks the offer, the keys and the
/// nonce again inside the transaction that logs the codes, so a race between
/// two redemptions of one offer issues one batch, never two.
///
/// An age wallet holds codes for every threshold its offer met, taken in
/// turn: key i gets threshold `met[i % met.count]` (20 keys with 16, 18 and
/// 21 met: 7, 7 and 6 codes), so the phone can show the lowest threshold a
/// checkout needs.
struct WalletController {
    let services: VouchServices

    func addRoutes(to router: Router<VouchRequestContext>) {
        router.post("/v1/wallet/redeem", use: redeem)
        router.post("/v1/wallet/refresh", use: refresh)
    }

    var configuration: WalletConfiguration { services.configuration.wallet }

    @Sendable func redeem(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: services.configuration.maximumBodySize,
                                           allowed: ["offer", "wallet_key", "keys", "proof"])
        let offerText = try body.string("offer")
        guard let secret = Base64URLText.decode(offerText, maximumLength: 64), secret.count == 32 else {
            throw Problem.invalidField("offer", "must be the base64url offer secret of the redeem link (32 bytes)")
        }
        let walletText = try body.string("wallet_key")
        let wallet = try WalletKeys.point(walletText, field: "wallet_key")
        let keys = try WalletKeys.read(body, maximum: configuration.maximumBatchSize, walletKeyHash: wallet.hash)
        let proof = try WalletKeys.signature(body, "proof")
        guard wallet.key.isValidSignature(proof, for: WalletMessages.redeem(offer: offerText, walletKey: walletText,
                                                                            keys: keys.texts)) else {
            throw Problem.badSignature("proof")
        }
        let now = Date()
        guard let offer = try await services.wallets.loadOffer(secret: secret) else { throw Problem.unknownOffer() }
        guard offer.redeemedAt == nil else { throw Problem.offerRedeemed() }
        guard offer.expiresAt > now else { throw Problem.offerExpired() }
        guard keys.keys.count <= offer.batchSize else {
            throw Problem.invalidField("keys", "this offer issues at most \(offer.batchSize) codes")
        }
        try await refuseUsed(keys.hashes, wallet: wallet.hash)
        let walletID = try SecureRandom.bytes(count: 16).hexString
        let claims = try Self.claims(kind: offer.kind, ageOver: offer.ageOver, concession: offer.concession,
                                     validUntil: offer.validUntil, count: keys.keys.count)
        let (signed, codes) = try await sign(claims, keys: keys, now: now)
        let opening = WalletOpening(walletID: walletID, publicKey: keys.point(wallet.key), offerID: offer.id,
                                    offerSecretHash: WalletStore.hash(secret), time: now)
        let committed: [CommittedAttestation]
        do {
            _ = try await services.writer.logReceiptKey()
            committed = try await services.writer.redeem(opening, codes: codes)
        } catch let error as StoreError {
            throw Self.problem(error, duplicateField: "keys")
        }
        return Self.batch(try Self.withReceipts(signed, committed), walletID: walletID, now: now)
    }

    @Sendable func refresh(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: services.configuration.maximumBodySize,
                                           allowed: ["wallet_id", "time", "nonce", "keys", "signature"])
        let walletID = try body.string("wallet_id")
        guard walletID.utf8.count == 32, [UInt8](hexString: walletID) != nil, walletID == walletID.lowercased() else {
            throw Problem.invalidField("wallet_id", "must be the 32 lowercase hex digits of a wallet id")
        }
        guard let time = try body.optionalInt("time", range: 0...Int(UInt32.max)) else {
            throw Problem.invalidField("time", "is required")
        }
        let nonce = try body.string("nonce")
        guard let nonceBytes = Base64URLText.decode(nonce, maximumLength: 100), (16...64).contains(nonceBytes.count) else {
            throw Problem.invalidField("nonce", "must be 16 to 64 random bytes, base64url")
        }
        let signature = try WalletKeys.signature(body, "signature")
        guard let wallet = try await services.wallets.loadWallet(id: walletID) else { throw Problem.unknownWallet("wallet_id") }
        guard !wallet.isRevoked else { throw Problem.walletRevoked() }
        let walletKey = try PublicKey(p256Uncompressed: wallet.publicKey)
        let keys = try WalletKeys.read(body, maximum: min(wallet.batchSize, configuration.maximumBatchSize),
                                       walletKeyHash: WalletStore.hash(wallet.publicKey))
        let message = WalletMessages.refresh(walletID: walletID, time: UInt64(time), nonce: nonce, keys: keys.texts)
        guard walletKey.isValidSignature(signature, for: message) else { throw Problem.badSignature("signature") }
        let now = Date()
        let offset = time - Int(now.timeIntervalSince1970)
        guard abs(offset) <= WalletConfiguration.clockWindow else { throw Problem.clockOff(offset) }
        // Read before any signing, so a wallet over its limit costs no signatures; the store counts it again,
        // atomically, in the transaction that logs the codes (two nodes racing cannot both pass).
        let limit = configuration.refreshLimit
        if let wait = limit.wait(fullAt: wallet.refreshFullAt, now: Int64(now.timeIntervalSince1970.rounded(.down))) {
            throw Problem.rateLimited(retryAfter: wait)
        }
        try await refuseUsed(keys.hashes)
        let claims = try Self.claims(kind: wallet.kind, ageOver: wallet.ageOver, concession: wallet.concession,
                                     validUntil: wallet.validUntil, count: keys.keys.count)
        let (signed, codes) = try await sign(claims, keys: keys, now: now)
        let committed: [CommittedAttestation]
        do {
            let refresh = WalletRefresh(walletID: walletID, nonceHash: WalletStore.hash(nonceBytes), time: now,
                                        limit: limit)
            _ = try await services.writer.logReceiptKey()
            committed = try await services.writer.refresh(refresh, codes: codes)
        } catch let error as StoreError {
            throw Self.problem(error, duplicateField: "nonce")
        }
        return Self.batch(try Self.withReceipts(signed, committed), walletID: walletID, now: now)
    }

    // MARK: - Helpers

    /// The codes as handed out: each with the log's receipt for its committed entry (format.md §7).
    static func withReceipts(_ signed: [IssuedAttestation], _ committed: [CommittedAttestation]) throws
        -> [IssuedAttestation] {
        guard signed.count == committed.count else { throw Problem.internalError }
        return try zip(signed, committed).map { try $0.attaching($1.receipt) }
    }

    /// Refuses keys that a code or a wallet already has, naming the field that holds one.
    func refuseUsed(_ keys: [[UInt8]], wallet: [UInt8]? = nil) async throws {
        let used = try await services.wallets.loadUsedKeyHashes(keys + (wallet.map { [$0] } ?? []))
        if let wallet, used.contains(wallet) { throw Problem.keyInUse("wallet_key") }
        if !used.isEmpty { throw Problem.keyInUse("keys") }
    }

    /// What one wallet code says: a threshold, or a concession until the last day of the entitlement.
    enum CodeClaim {
        case ageOver(Int)
        case concession(String, validUntil: String)
    }

    /// The claim of each code, in key order.
    static func claims(kind: Offer.Kind, ageOver: [Int], concession: String?, validUntil: String?,
                       count: Int) throws -> [CodeClaim] {
        switch kind {
        case .age:
            guard !ageOver.isEmpty else { throw Problem.internalError }
            return (0..<count).map { .ageOver(ageOver[$0 % ageOver.count]) }
        case .concession:
            guard let concession, let validUntil else { throw Problem.internalError }
            return Array(repeating: .concession(concession, validUntil: validUntil), count: count)
        }
    }

    /// Signs one code per key through the issuer's holder binding (`cnf`), each with a status slot.
    ///
    /// The batch's slots are taken first, together: on several nodes a batch that empties this node's
    /// slot pool waits for the refill in flight instead of failing (PostgresSlotPool+Bursts). Slots that
    /// no code took (signing refused) go back.
    func sign(_ claims: [CodeClaim], keys: WalletKeys, now: Date) async throws -> ([IssuedAttestation], [WalletCode]) {
        let slots = StatusReservations(services.statusLists.allocator)
        try await slots.prepare(claims.count)
        defer { slots.releaseUnused() }
        let issuer = services.issuer
        var signed: [IssuedAttestation] = [], codes: [WalletCode] = []
        for (index, claim) in claims.enumerated() {
            let key = keys.keys[index]
            let attestation: IssuedAttestation
            do {
                switch claim {
                case .ageOver(let threshold):
                    attestation = try issuer.issueAge(over: threshold, now: now, holderKey: key,
                                                      status: { try slots.reserve() })
                case .concession(let code, let until):
                    attestation = try issuer.issueConcession(code, validUntil: until, now: now, holderKey: key,
                                                             status: { try slots.reserve() })
                }
            } catch let error as IssuanceError where error.field == "valid_until" {
                throw Problem.notEligible("the concession of this wallet has ended", field: "wallet_id")
            } catch let error as IssuanceError where error.code == .clock {
                throw Problem.unavailable(error.message)
            } catch let error as IssuanceError {
                throw error.code == .invalidField ? Problem.invalidField(error.field ?? "keys", error.message)
                                                  : Problem.internalError
            }
            signed.append(attestation)
            codes.append(WalletCode(attestation: slots.pending(attestation, kid: issuer.kid),
                                    holderKeyHash: keys.hashes[index]))
        }
        return (signed, codes)
    }

    static func problem(_ error: StoreError, duplicateField: String) -> Problem {
        switch error.code {
        case .notFound: return duplicateField == "keys" ? .unknownOffer() : .unknownWallet("wallet_id")
        case .invalidTransition: return duplicateField == "keys" ? .offerRedeemed() : .walletRevoked()
        case .expired: return .offerExpired()
        case .duplicate: return duplicateField == "keys" ? .keyInUse("keys") : .replayedNonce()
        case .rateLimited: return .rateLimited(retryAfter: error.retryAfter ?? 1)
        case .database: return .unavailable("the store cannot be reached")
        default: return .internalError
        }
    }

    static func batch(_ signed: [IssuedAttestation], walletID: String, now: Date) -> Response {
        for attestation in signed {
            IssuedCounters.counter(for: attestation.claims.type).increment()
        }
        let codes: [[String: Any]] = signed.map { a in
            ["id": a.id, "token": a.text, "vct": a.claims.type.rawValue,
             "claim": a.claims.concession ?? a.ageOver.map { "age_over_\($0)" } ?? a.claims.type.rawValue,
             "expires_at": ISOTime.utc(a.claims.expiresAt)]
        }
        return JSON.response(["wallet_id": walletID, "server_time": Int(now.timeIntervalSince1970), "codes": codes],
                             status: .created)
    }
}

extension WalletKeys {
    /// The 65-byte uncompressed point of a parsed key.
    func point(_ key: PublicKey) -> [UInt8] {
        key.p256Uncompressed ?? []
    }
}
