import Foundation
import Hummingbird
import Logging
import VouchHTTP
import VouchVerifier

/// The staff side of a terminal's HTTP surface: register entries for manual
/// ID checks and refused sales (staff id and PIN in the body), and the daily
/// report (a staff PIN in `X-Vouch-Staff` / `X-Vouch-PIN`, or the terminal
/// admin key as `Authorization: Bearer`).
struct DeskController {
    let desk: TerminalDesk
    let checkout: any Checkout
    let maximumBodySize: Int

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.post("/v1/terminal/register", use: record)
        router.get("/v1/terminal/report", use: report)
    }

    /// `POST /v1/terminal/register`: 201 with the entry once it is on disk.
    @Sendable func record<Context: RequestContext>(_ request: Request, context: Context) async throws -> Response {
        let body = try await JSONBody.read(request, limit: maximumBodySize,
                                           allowed: ["staff", "pin", "kind", "policy", "reason"])
        let kindText = try body.string("kind")
        guard let kind = RegisterEntry.Kind(rawValue: kindText), kind != .scan else {
            throw Problem.invalidField("kind", "must be manual_check or refusal")
        }
        let reason = try body.string("reason")
        let allowed = RegisterEntry.reasons(for: kind)
        guard allowed.contains(reason) else {
            throw Problem.invalidField("reason", "must be one of \(allowed.joined(separator: ", "))")
        }
        let policy = try body.string("policy")
        guard (1...64).contains(policy.utf8.count),
              policy.utf8.allSatisfy({ (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2d })
        else { throw Problem.invalidField("policy", "must be a policy id (a-z, 0-9, -)") }
        if let policies = checkout.policies, policies.policy(id: policy) == nil {
            throw Problem.invalidField("policy", "this terminal has no such policy")
        }
        let staff = try body.string("staff")
        try await authenticate(staff: staff, pin: try body.string("pin"))
        let entry = RegisterEntry.staffAction(kind, at: Date(), policy: policy, staff: staff, reason: reason)
        do {
            try desk.register.append(entry)
        } catch {
            context.logger.error("terminal: register not written", metadata: ["vouch.error": "\(error)"])
            throw Problem.unavailable("the register cannot be written: this entry was NOT recorded")
        }
        context.logger.info("terminal: register entry", metadata: [
            "vouch.kind": "\(kind.rawValue)", "vouch.policy": "\(policy)", "vouch.staff": "\(staff)",
        ])
        return JSON.response(entry.jsonObject, status: .created)
    }

    /// `GET /v1/terminal/report?date=YYYY-MM-DD&format=json|csv` (date: today by default).
    @Sendable func report<Context: RequestContext>(_ request: Request, context: Context) async throws -> Response {
        if let bearer = request.headers[.authorization], bearer.hasPrefix("Bearer ") {
            guard desk.isAdminKey(String(bearer.dropFirst(7))) else { throw Problem.unauthorized }
        } else if let staff = request.headers[.init("X-Vouch-Staff")!], let pin = request.headers[.init("X-Vouch-PIN")!] {
            try await authenticate(staff: staff, pin: pin)
        } else {
            throw Problem(.unauthorized, kind: "unauthorized", title: "Staff PIN or admin key required",
                          detail: "send X-Vouch-Staff and X-Vouch-PIN, or Authorization: Bearer <terminal admin key>")
        }
        let query = request.uri.queryParameters
        let day: RegisterDay
        if let text = query["date"].map(String.init) {
            guard let parsed = RegisterDay(parsing: text) else {
                throw Problem.badRequest("date must be YYYY-MM-DD", field: "date")
            }
            day = parsed
        } else {
            day = RegisterDay(Date(), timeZone: desk.register.timeZone)
        }
        let format = query["format"].map(String.init) ?? "json"
        guard ["json", "csv"].contains(format) else { throw Problem.badRequest("format must be json or csv", field: "format") }
        let report: TerminalReport
        do {
            report = try desk.report(day)
        } catch {
            context.logger.error("terminal: register not readable", metadata: ["vouch.error": "\(error)"])
            throw Problem.unavailable("the register cannot be read")
        }
        guard format == "csv" else { return JSON.response(report.jsonObject, headers: [.cacheControl: "no-store"]) }
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8; header=present", .cacheControl: "no-store",
            .contentDisposition: "attachment; filename=\"vouch-report-\(day.text).csv\"",
        ], body: .init(byteBuffer: ByteBuffer(string: report.csv)))
    }

    /// Checks a staff PIN off the cooperative pool (PBKDF2 is slow on purpose).
    func authenticate(staff: String, pin: String) async throws {
        let staffAccounts = desk.staff
        let result: Result<Void, any Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { try staffAccounts.check(id: staff, pin: pin) })
            }
        }
        do {
            try result.get()
        } catch let error as StaffError {
            switch error.code {
            case .locked:
                let seconds = Int((error.retryAfter ?? 30).rounded(.up))
                throw Problem(.tooManyRequests, kind: "staff-locked", title: "Staff account locked",
                              detail: "too many wrong PINs: try again in \(seconds) s",
                              headers: [.retryAfter: String(seconds)])
            case .refused:
                let left = error.triesLeft.map { " (\($0) tries left before the account locks)" } ?? ""
                throw Problem(.unauthorized, kind: "staff-pin-refused", title: "Staff id or PIN not accepted",
                              detail: "staff id or PIN not accepted" + left)
            default:
                throw Problem.unavailable("staff accounts cannot be checked")
            }
        }
    }
}
