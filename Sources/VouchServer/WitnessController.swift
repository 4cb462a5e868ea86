import VouchHTTP
import Foundation
public import Hummingbird
public import Logging
import Prometheus
import VouchLog

/// The witness role's HTTP surface: C2SP `tlog-witness` `POST /add-checkpoint`
/// and `GET /witness/key` (this witness's cosignature/v1 vkey).
///
/// Answers as tlog-witness says: 200 with the cosignature line; 409 with
/// `Content-Type: text/x.tlog.size` and the size this witness holds, so the
/// log can retry with the right `old` and proof; 404 for the origin of a log
/// it does not follow, 403 for a checkpoint its log's key did not sign, 422
/// for a proof that fails, 400 for a body that cannot be read (these as
/// problem JSON).
public struct WitnessController: Sendable {
    public let state: WitnessState
    let logger: Logger

    public init(state: WitnessState, logger: Logger) {
        self.state = state
        self.logger = logger
    }

    public func addRoutes(to router: Router<VouchRequestContext>) {
        router.post("/add-checkpoint", use: addCheckpoint)
        router.get("/witness/key") { _, _ in
            LogController.text(state.signer.verifier.vkey + "\n", cacheControl: "public, max-age=3600")
        }
    }

    @Sendable func addCheckpoint(_ request: Request, context: VouchRequestContext) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: AddCheckpointRequest.maximumSize)
        } catch {
            throw Problem.tooLarge(AddCheckpointRequest.maximumSize)
        }
        let parsed: AddCheckpointRequest
        do {
            parsed = try AddCheckpointRequest(body: Array(buffer: body))
        } catch {
            throw Problem.badRequest(error.reason)
        }
        do {
            let line = try await state.add(parsed)
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: line + "\n")))
        } catch let refusal as WitnessCheck.Refusal {
            logger.notice("witness: checkpoint refused", metadata: ["witness.reason": "\(refusal.reason)"])
            switch refusal.kind {
            case .conflict(let size):
                return Response(status: .conflict, headers: [.contentType: "text/x.tlog.size"],
                                body: .init(byteBuffer: ByteBuffer(string: "\(size)\n")))
            case .malformed: throw Problem.badRequest(refusal.reason)
            case .unknownLog: throw Problem.notFound(refusal.reason)
            case .untrustedLog:
                throw Problem(.forbidden, kind: "untrusted-log", title: "Not a log this witness follows",
                              detail: refusal.reason)
            case .inconsistent:
                throw Problem(.unprocessableContent, kind: "inconsistent-checkpoint",
                              title: "The checkpoint does not extend the tree this witness cosigned",
                              detail: refusal.reason)
            }
        } catch is WitnessIOError {
            throw Problem.unavailable("the witness cannot record its state")
        }
    }
}

/// The router of `vouch serve --role witness`: the witness routes, health and metrics, nothing else.
public func buildWitnessRouter(state: WitnessState, logger: Logger) -> Router<VouchRequestContext> {
    VouchMetrics.bootstrap()
    let router = Router(context: VouchRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MetricsMiddleware())
    WitnessController(state: state, logger: logger).addRoutes(to: router)
    router.get("/healthz") { _, _ in JSON.response(["status": "ok"]) }
    router.get("/readyz") { _, _ in JSON.response(["status": "ready"]) }
    router.get("/metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: VouchMetrics.registry.emitToBuffer())))
    }
    return router
}
