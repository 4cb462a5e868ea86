import VouchHTTP
import Hummingbird

/// `GET /v1/log/checkpoint/cosigned`: the newest checkpoint a quorum of the
/// configured witnesses cosigned, with their cosignatures (C2SP
/// tlog-cosignature lines after the log's signature). It lags the plain
/// checkpoint while witnesses catch up, or while one of them is down.
struct CosignedCheckpoint {
    let services: VouchServices

    @Sendable func respond(_ request: Request, context: VouchRequestContext) async throws -> Response {
        guard let witnesses = services.witnesses else {
            throw Problem.notFound("this log has no witnesses configured (VOUCH_WITNESSES)")
        }
        guard let cosigned = await witnesses.cosigned else {
            throw Problem.unavailable("no checkpoint has a quorum of \(witnesses.configuration.quorum) cosignatures yet")
        }
        return LogController.text(cosigned.note, cacheControl: "no-cache")
    }
}
