import VouchHTTP

extension OpenAPIDocument {
    /// The problem kinds (`urn:vouch:problem:<kind>`) each wallet operation can answer, by status.
    ///
    /// One table, rendered into each operation's responses as a `type` enum (``problemResponses(_:)``),
    /// so the spec names exactly what a client must handle, `make contract` (schemathesis's
    /// response_schema_conformance) refuses any other type the live server sends, and `WalletProblemTests`
    /// drives each refusal in-process and finds its type here.
    static let walletProblems: [String: [(status: Int, kinds: [String])]] = [
        "createOffer": [
            (400, ["bad-request"]), (401, ["unauthorized"]), (403, ["forbidden"]), (406, ["not-acceptable"]),
            (413, ["body-too-large"]), (415, ["unsupported-media-type"]), (422, ["invalid-field", "not-eligible"]),
            (429, ["rate-limited"]), (503, ["unavailable"]),
        ],
        "redeemOffer": [
            (400, ["bad-request"]), (403, ["bad-signature"]), (404, ["unknown-offer"]),
            (409, ["offer-redeemed", "key-in-use"]), (410, ["offer-expired"]), (413, ["body-too-large"]),
            (415, ["unsupported-media-type"]), (422, ["invalid-field", "not-eligible"]), (503, ["unavailable"]),
        ],
        "refreshWallet": [
            (400, ["bad-request"]), (403, ["bad-signature", "wallet-revoked"]), (404, ["unknown-wallet"]),
            (409, ["key-in-use", "replayed-nonce"]), (413, ["body-too-large"]), (415, ["unsupported-media-type"]),
            (422, ["invalid-field", "clock-off", "not-eligible"]), (429, ["rate-limited"]), (503, ["unavailable"]),
        ],
        "revokeWallet": [
            (401, ["unauthorized"]), (403, ["forbidden"]), (404, ["unknown-wallet"]), (422, ["invalid-field"]),
            (429, ["rate-limited"]), (503, ["unavailable"]),
        ],
    ]

    /// A Problem schema whose `type` is one of `kinds`, in YAML flow style (it fits any indentation).
    static func problemSchema(_ kinds: [String]) -> String {
        let types = kinds.map { "\"\(Problem.typeBase)\($0)\"" }.joined(separator: ", ")
        return ##"{allOf: [{$ref: "#/components/schemas/Problem"}, {properties: {type: {enum: [\##(types)]}}}]}"##
    }

    /// The problem responses of `operationID` from ``walletProblems``, one YAML line each at the depth of
    /// an operation's responses.
    static func problemResponses(_ operationID: String) -> String {
        (walletProblems[operationID] ?? []).map { status, kinds in
            let description = kinds.map { Problem.typeBase + $0 }.joined(separator: " or ")
            let headers = switch status {
            case 401: #"headers: {WWW-Authenticate: {schema: {type: string}}}, "#
            case 429: #"headers: {Retry-After: {schema: {type: string}}}, "#
            default: ""
            }
            return #"        "\#(status)": {description: "\#(description)", \#(headers)"#
                + #"content: {application/problem+json: {schema: \#(problemSchema(kinds))}}}"#
        }.joined(separator: "\n")
    }

    /// The shared error responses (`components/responses`) by status, for the operations outside
    /// ``walletProblems``.
    static let errorResponseNames: [Int: String] = [
        400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 406: "NotAcceptable",
        409: "Conflict", 413: "TooLarge", 415: "UnsupportedMediaType", 422: "Invalid", 429: "RateLimited",
        503: "Unavailable",
    ]

    /// `"status": {$ref: ...}` lines for `statuses`, in order, at the depth of an operation's responses:
    /// one list of which statuses an operation answers, instead of the same lines written out per operation.
    static func errorResponses(_ statuses: Int...) -> String {
        statuses.map { status in
            guard let name = errorResponseNames[status] else {
                preconditionFailure("no shared response for status \(status)")
            }
            return ##"        "\##(status)": {$ref: "#/components/responses/\##(name)"}"##
        }.joined(separator: "\n")
    }
}
