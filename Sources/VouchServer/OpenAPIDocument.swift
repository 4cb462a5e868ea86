/// The OpenAPI 3.1 description of the HTTP API, served at `/openapi.yaml`.
///
/// Written by hand rather than generated (swift-openapi-generator): the
/// routes are few, their handlers read bodies strictly with their own
/// problems, and the generator's build plugin would add minutes to every CI
/// build. Kept honest instead by `OpenAPITests` (every route the router has
/// is described here and every path here is a route) and by `make contract`,
/// which runs `schemathesis --checks all` over every phase, stateful runs
/// included, against a live server and must report 0 failures.
///
/// Each area's paths live in an `OpenAPIDocument+<area>.swift` of their own;
/// a new route is an entry there, a new area one more file and one name in
/// ``areas``. Shared schemas, responses (one per problem status, naming its
/// `urn:vouch:problem:*` types and listing them as the `type` enum, so
/// schemathesis refuses any other) and parameters are below; the wallet
/// routes, whose refusals are their own, declare theirs per operation from
/// ``walletProblems``.
enum OpenAPIDocument {
    /// The paths of each area, in document order.
    static let areas = [attestationPaths, walletPaths, verificationPaths, terminalPaths, logPaths, operationsPaths]

    static let yaml = header + "\npaths:\n" + areas.joined(separator: "\n") + "\n"

    static let header = #"""
openapi: 3.1.0
info:
  title: Vouch
  version: "1"
  description: >-
    Privacy-preserving age, status and identity attestations: issue signed codes
    (COSE_Sign1/CWT in a Base45 "VCH1:" text and QR code), verify them against
    policies, and audit what was issued. Errors are RFC 9457 problem JSON whose
    type is urn:vouch:problem:<kind>; each response below names the kinds it can
    carry, and its schema lists them as the type's enum. A known path called with a method it does not serve
    is 405 with Allow.
    Request bodies are at most 65536 bytes (413 body-too-large).
servers:
  - url: /
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      description: An API key from `vouch apikey create --scope ...`.
  schemas:
    Problem:
      type: object
      required: [type, title, status]
      properties:
        type: {type: string, pattern: "^urn:vouch:problem:[a-z0-9-]+$", description: "Stable URI of the kind of error."}
        title: {type: string}
        status: {type: integer}
        detail: {type: string}
        field: {type: string, description: The request field that was wrong.}
        instance: {type: string}
    Date:
      type: string
      format: date
      pattern: '^(18[89][0-9]|19[0-9]{2}|20[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
      description: A real calendar date YYYY-MM-DD from 1880 to 2099.
    BatchSize:
      type: integer
      minimum: 1
      maximum: 200
      description: >-
        codes the phone may collect (default VOUCH_WALLET_BATCH_SIZE, 20; at most VOUCH_WALLET_MAX_BATCH, 50, which
        can be set up to 200; above the configured maximum is 422 invalid-field)
    P256Key:
      type: string
      pattern: "^[A-Za-z0-9_-]{87}$"
      description: "a P-256 public key: the 65-byte SEC1 uncompressed point (WebCrypto exportKey raw), base64url; it must lie on the curve"
    ES256Signature:
      type: string
      pattern: "^[A-Za-z0-9_-]{86}$"
      description: "an ES256 signature, r||s (64 bytes), base64url"
    SubjectRef:
      type: string
      minLength: 1
      maxLength: 256
      description: >-
        The caller's own reference for the person (at most 256 characters); only its HMAC is stored,
        so everything issued for it can be found without storing it.
    IssuedBatch:
      type: object
      required: [attestations]
      properties:
        attestations:
          type: array
          items:
            type: object
            required: [id, token, vct, expires_at]
            properties:
              id: {type: string, pattern: "^[0-9a-f]{32}$"}
              token: {type: string, pattern: "^VCH1:"}
              vct: {type: string, enum: [age, concession, identity]}
              age_over: {type: integer}
              expires_at: {type: string, format: date-time}
    Decision:
      type: object
      required: [decision, reason, message, policy, disclosed]
      properties:
        decision: {type: string, enum: [accept, reject]}
        reason:
          type: string
          enum: [ok, unknown_policy, payload_too_large, unrecognized, malformed, unsupported_alg, unknown_issuer,
                 untrusted_issuer, bad_signature, no_log_receipt, bad_log_receipt, not_holder_bound,
                 bad_holder_signature, presentation_expired, not_yet_valid, expired, too_old, wrong_type, requirement_not_met,
                 revoked, suspended, status_unavailable, replayed]
        message: {type: string}
        policy: {type: string}
        vct: {type: string}
        disclosed: {type: object}
    Policy:
      type: object
      required: [id, title, accept, require, status]
      properties:
        id: {type: string}
        title: {type: string}
        accept: {type: array, items: {type: string}}
        require: {type: object}
        max_token_age: {type: [integer, "null"]}
        clock_skew: {type: integer}
        status: {type: string, enum: [required, optional, ignore]}
        max_status_age: {type: integer}
        single_use: {type: boolean}
        issuers: {type: [array, "null"], items: {type: string}}
        disclose: {type: array, items: {type: string}}
        rule: {}
        log_receipt: {type: string, enum: [required, optional]}
        holder_binding: {type: string, enum: [required, optional, ignore]}
        presentation_max_age: {type: integer, minimum: 1, maximum: 3600}
    StateChange:
      type: object
      required: [id, state, previous]
      properties:
        id: {type: string, pattern: "^[0-9a-f]{32}$"}
        state: {type: string, enum: [valid, revoked, suspended]}
        previous: {type: string, enum: [valid, revoked, suspended]}
        log_index: {type: [integer, "null"]}
  responses:
    BadRequest:
      description: "urn:vouch:problem:bad-request: malformed JSON, a duplicate key, a missing or repeated query parameter."
      content:
        application/problem+json:
          schema: \#(problemSchema(["bad-request"]))
    Unauthorized:
      description: "urn:vouch:problem:unauthorized: no API key, or one that is unknown or revoked."
      headers:
        WWW-Authenticate: {schema: {type: string}}
      content:
        application/problem+json:
          schema: \#(problemSchema(["unauthorized"]))
    Forbidden:
      description: "urn:vouch:problem:forbidden: the API key lacks this route's scope."
      content:
        application/problem+json:
          schema: \#(problemSchema(["forbidden"]))
    NotFound:
      description: "urn:vouch:problem:not-found: nothing by that name or number (yet)."
      content:
        application/problem+json:
          schema: \#(problemSchema(["not-found"]))
    NotAcceptable:
      description: "urn:vouch:problem:not-acceptable: a QR image was asked for where none can be made."
      content:
        application/problem+json:
          schema: \#(problemSchema(["not-acceptable"]))
    Conflict:
      description: "urn:vouch:problem:conflict: the attestation is not in a state this change applies to."
      content:
        application/problem+json:
          schema: \#(problemSchema(["conflict"]))
    TooLarge:
      description: "urn:vouch:problem:body-too-large: the body is over 65536 bytes."
      content:
        application/problem+json:
          schema: \#(problemSchema(["body-too-large"]))
    UnsupportedMediaType:
      description: "urn:vouch:problem:unsupported-media-type: the body is not application/json."
      content:
        application/problem+json:
          schema: \#(problemSchema(["unsupported-media-type"]))
    Invalid:
      description: >-
        urn:vouch:problem:invalid-field (a field breaks a rule; `field` names it) or
        urn:vouch:problem:not-eligible (nothing can be issued for valid input, e.g. under every threshold).
      content:
        application/problem+json:
          schema: \#(problemSchema(["invalid-field", "not-eligible"]))
    RateLimited:
      description: "urn:vouch:problem:rate-limited: over the API key's rate; Retry-After says when to try again."
      headers:
        Retry-After: {schema: {type: string}}
      content:
        application/problem+json:
          schema: \#(problemSchema(["rate-limited"]))
    Unavailable:
      description: "urn:vouch:problem:unavailable: the store cannot be reached, or (issuance) the issuer's clock is outside its certificate's validity."
      content:
        application/problem+json:
          schema: \#(problemSchema(["unavailable"]))
    Issued:
      description: The attestations, durably recorded (and logged) before this answer.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/IssuedBatch"}
        image/png:
          schema: {type: string, format: binary}
        image/svg+xml:
          schema: {type: string}
      links:
        revoke:
          operationId: revokeAttestation
          parameters: {id: "$response.body#/attestations/0/id"}
        suspend:
          operationId: revokeAttestation
          parameters: {id: "$response.body#/attestations/0/id"}
          requestBody: {suspend: true}
        reinstate:
          operationId: reinstateAttestation
          parameters: {id: "$response.body#/attestations/0/id"}
    StateChanged:
      description: The new state, recorded in the audit log before this answer.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/StateChange"}
      links:
        revoke:
          operationId: revokeAttestation
          parameters: {id: "$response.body#/id"}
        suspend:
          operationId: revokeAttestation
          parameters: {id: "$response.body#/id"}
          requestBody: {suspend: true}
        reinstate:
          operationId: reinstateAttestation
          parameters: {id: "$response.body#/id"}
    WalletBatch:
      description: Holder-bound codes in key order, durably recorded and logged before this answer.
      content:
        application/json:
          schema:
            type: object
            required: [wallet_id, server_time, codes]
            properties:
              wallet_id: {type: string, pattern: "^[0-9a-f]{32}$"}
              server_time: {type: integer, description: "the issuer's clock (NumericDate): the wallet corrects t by it"}
              codes:
                type: array
                items:
                  type: object
                  required: [id, token, vct, claim, expires_at]
                  properties:
                    id: {type: string, pattern: "^[0-9a-f]{32}$"}
                    token: {type: string, pattern: "^VCH1:"}
                    vct: {type: string, enum: [age, concession]}
                    claim: {type: string, description: "age_over_NN, or the concession"}
                    expires_at: {type: string, format: date-time}
      links:
        refresh:
          operationId: refreshWallet
          description: The wallet signs a refresh for its wallet_id (the rest of the body needs the wallet key).
          requestBody: {wallet_id: "$response.body#/wallet_id"}
        revokeWallet:
          operationId: revokeWallet
          parameters: {id: "$response.body#/wallet_id"}
        revokeCode:
          operationId: revokeAttestation
          parameters: {id: "$response.body#/codes/0/id"}
        suspendCode:
          operationId: revokeAttestation
          parameters: {id: "$response.body#/codes/0/id"}
          requestBody: {suspend: true}
  parameters:
    AttestationID:
      name: id
      in: path
      required: true
      schema: {type: string, pattern: "^[0-9a-f]{32}$"}
"""#
}
