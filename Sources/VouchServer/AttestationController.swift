import Foundation
import Hummingbird
import Metrics
import VouchCore
import VouchCrypto
import VouchHTTP
import VouchIssuer
import VouchQR
import VouchStore
import VouchVerifier

/// `POST /v1/attestations/...`: issue (issue scope) and revoke (revoke scope).
struct AttestationController {
    let services: VouchServices

    func addRoutes(issue: RouterGroup<VouchRequestContext>, revoke: RouterGroup<VouchRequestContext>) {
        issue.post("/v1/attestations/age", use: age)
        issue.post("/v1/attestations/concession", use: concession)
        issue.post("/v1/attestations/identity", use: identity)
        revoke.post("/v1/attestations/:id/revoke", use: self.revoke)
        revoke.post("/v1/attestations/:id/reinstate", use: reinstate)
    }

    var limit: Int { services.configuration.maximumBodySize }

    // MARK: - Issuance

    @Sendable func age(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: limit,
                                           allowed: ["birth_date", "subject_ref", "valid_for", "thresholds"])
        let birthDate = try body.string("birth_date")
        let thresholds = try body.optionalIntArray("thresholds", range: Claims.ageThresholdRange, maxCount: 16)
        let validity = try body.optionalInt("valid_for", range: 60...Int(services.issuer.configuration.ageValidity))
        let subject = try subjectPseudonym(body)
        let format = try QRFormat.negotiate(request)
        if format != nil, (thresholds?.count ?? 2) != 1 {
            throw Problem.notAcceptable("a QR image holds one code: ask for exactly one threshold, or accept JSON")
        }
        let slots = StatusReservations(services.statusLists.allocator)
        try await slots.prepare(try issuing {
            try services.issuer.ageThresholdsMet(birthDate: birthDate, now: Date(), thresholds: thresholds).count
        })
        defer { slots.releaseUnused() }
        let batch = try issuing { try services.issuer.issueAge(birthDate: birthDate, now: Date(), thresholds: thresholds,
                                                               validity: validity.map(TimeInterval.init),
                                                               status: { try slots.reserve() }) }
        return try await respond(batch, slots: slots, subject: subject, format: format, request: request)
    }

    @Sendable func concession(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: limit, allowed: ["concession", "valid_until", "subject_ref"])
        let code = try body.string("concession"), until = try body.string("valid_until")
        let subject = try subjectPseudonym(body)
        let format = try QRFormat.negotiate(request)
        let slots = StatusReservations(services.statusLists.allocator)
        try await slots.prepare(1)
        defer { slots.releaseUnused() }
        let attestation = try issuing {
            try services.issuer.issueConcession(code, validUntil: until, now: Date(), status: { try slots.reserve() })
        }
        return try await respond([attestation], slots: slots, subject: subject, format: format, request: request)
    }

    @Sendable func identity(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, limit: limit, allowed: [
            "given_name", "family_name", "birth_date", "nationality", "document_number", "subject_ref", "valid_for",
        ])
        let attributes = IdentityAttributes(
            givenName: try body.string("given_name"), familyName: try body.string("family_name"),
            birthDate: try body.string("birth_date"), nationality: try body.optionalString("nationality"),
            documentNumber: try body.optionalString("document_number"))
        let validity = try body.optionalInt("valid_for", range: 60...Int(services.issuer.configuration.identityValidity))
        let subject = try subjectPseudonym(body)
        let format = try QRFormat.negotiate(request)
        let slots = StatusReservations(services.statusLists.allocator)
        try await slots.prepare(1)
        defer { slots.releaseUnused() }
        let attestation = try issuing {
            try services.issuer.issueIdentity(attributes, now: Date(), validity: validity.map(TimeInterval.init),
                                              status: { try slots.reserve() })
        }
        return try await respond([attestation], slots: slots, subject: subject, format: format, request: request)
    }

    /// Maps the issuer's refusals to 422 problems naming the field.
    func issuing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as IssuanceError {
            if error.code == .notEligible { throw Problem.notEligible(error.message, field: error.field) }
            if error.code == .invalidField { throw Problem.invalidField(error.field ?? "body", error.message) }
            if error.code == .clock { throw Problem.unavailable(error.message) }
            throw Problem.internalError
        }
    }

    /// HMAC of the caller's subject reference: lets the operator find "everything issued for X" without storing X.
    func subjectPseudonym(_ body: JSONBody) throws -> [UInt8]? {
        guard let reference = try body.optionalString("subject_ref") else { return nil }
        // Counted in characters (code points), as the OpenAPI maxLength counts them.
        guard !reference.isEmpty, reference.unicodeScalars.count <= 256 else {
            throw Problem.invalidField("subject_ref", "must be 1 to 256 characters")
        }
        return Digest.hmacSHA256(key: services.subjectSecret, message: Array(reference.utf8))
    }

    /// Commits every attestation (one group-commit each, concurrently) and answers only after all are durable.
    func respond(_ signed: [IssuedAttestation], slots: StatusReservations, subject: [UInt8]?, format: QRFormat?,
                 request: Request) async throws
        -> Response
    {
        let batch = try await slots.commit(signed, to: services.writer, kid: services.issuer.kid, subject: subject)
        for attestation in batch {
            IssuedCounters.counter(for: attestation.claims.type).increment()
        }
        if let format, let only = batch.first {
            return try format.response(for: only.text, options: QRRenderOptions(), status: .created)
        }
        let list: [LogicValue] = batch.map { a in
            var entry: [String: LogicValue] = [
                "id": .string(a.id), "token": .string(a.text), "vct": .string(a.claims.type.rawValue),
                "expires_at": .string(ISOTime.utc(a.claims.expiresAt)),
            ]
            if let over = a.ageOver { entry["age_over"] = .number(Double(over)) }
            return .object(entry)
        }
        return JSON.response(.object(["attestations": .array(list)]), status: .created)
    }

    // MARK: - Revocation

    @Sendable func revoke(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let id = try attestationID(context)
        let body = try await JSONBody.read(request, limit: limit, allowed: ["reason", "suspend"])
        if let reason = try body.optionalString("reason"), reason.unicodeScalars.count > 200 {
            throw Problem.invalidField("reason", "must be at most 200 characters")
        }
        let suspend = try body.optionalBool("suspend") ?? false
        return try await changeState(id: id) { suspend ? try await $0.suspend(id: id) : try await $0.revoke(id: id) }
    }

    @Sendable func reinstate(_ request: Request, context: VouchRequestContext) async throws -> Response {
        let id = try attestationID(context)
        return try await changeState(id: id) { try await $0.reinstate(id: id) }
    }

    func attestationID(_ context: VouchRequestContext) throws -> String {
        let id = context.parameters.get("id") ?? ""
        guard id.utf8.count == 32, [UInt8](hexString: id) != nil, id == id.lowercased() else {
            throw Problem.invalidField("id", "must be the 32 lowercase hex digits of an attestation id")
        }
        return id
    }

    func changeState(id: String, _ change: (IssuanceWriter) async throws -> StateChange) async throws -> Response {
        do {
            let result = try await change(services.writer)
            await services.statusLists.stateChanged(result)
            return JSON.response(["id": result.id, "state": result.state.rawValue, "previous": result.previous.rawValue,
                                  "log_index": result.logIndex.map { $0 as Any } ?? NSNull()])
        } catch let error as StoreError {
            throw error.problem(id: id)
        }
    }
}

extension StoreError {
    /// The HTTP form of a store refusal.
    func problem(id: String) -> Problem {
        switch code {
        case .notFound: return .notFound("no attestation \(id)")
        case .invalidTransition: return .conflict(reason)
        case .invalidInput: return .badRequest(reason)
        case .database: return .unavailable("the store cannot be reached")
        default: return .internalError
        }
    }
}

/// One counter per attestation type, made once (a metric lookup per request costs a lock and a hash).
enum IssuedCounters {
    static let byType: [String: Counter] = Dictionary(uniqueKeysWithValues: AttestationType.known.map {
        ($0.rawValue, Counter(label: "vouch_attestations_issued_total", dimensions: [("vct", $0.rawValue)]))
    })

    static func counter(for type: AttestationType) -> Counter {
        byType[type.rawValue] ?? Counter(label: "vouch_attestations_issued_total", dimensions: [("vct", "other")])
    }
}

/// RFC 3339 UTC times without a DateFormatter (which costs tens of microseconds to create on Linux).
public enum ISOTime {
    static let utcZone = TimeZone(identifier: "UTC")!

    /// `YYYY-MM-DDThh:mm:ssZ` for seconds since the epoch.
    public static func utc(_ seconds: UInt64) -> String {
        let s = Int64(clamping: seconds)
        let date = CalendarDate(Date(timeIntervalSince1970: TimeInterval(s)), in: utcZone)
        let rest = s % 86_400
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date)T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }
}

/// Exposed for tests of the formatter.
public func isoTimeForTests(_ seconds: UInt64) -> String { ISOTime.utc(seconds) }
