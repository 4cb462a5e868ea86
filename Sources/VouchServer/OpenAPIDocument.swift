/// The OpenAPI 3.1 description of the HTTP API, served at `/openapi.yaml`.
///
/// Kept honest by `OpenAPITests`: every route the router has is described
/// here and every path here is a route, and schemathesis drives the live
/// server from this document in `make test`.
enum OpenAPIDocument {
    static let yaml = #"""
openapi: 3.1.0
info:
  title: Vouch
  version: "1"
  description: >-
    Privacy-preserving age, status and identity attestations: issue signed codes
    (COSE_Sign1/CWT in a Base45 "VCH1:" text and QR code), verify them against
    policies, and audit what was issued. Errors are RFC 9457 problem JSON.
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
        type: {type: string, description: "Stable URI of the kind of error, urn:vouch:problem:<kind>."}
        title: {type: string}
        status: {type: integer}
        detail: {type: string}
        field: {type: string, description: The request field that was wrong.}
        instance: {type: string}
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
                 untrusted_issuer, bad_signature, not_yet_valid, expired, too_old, wrong_type, requirement_not_met,
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
    StateChange:
      type: object
      required: [id, state, previous]
      properties:
        id: {type: string}
        state: {type: string, enum: [valid, revoked, suspended]}
        previous: {type: string, enum: [valid, revoked, suspended]}
        log_index: {type: [integer, "null"]}
  responses:
    Problem:
      description: An RFC 9457 problem.
      content:
        application/problem+json:
          schema: {$ref: "#/components/schemas/Problem"}
    Issued:
      description: The attestations, durably recorded (and logged) before this answer.
      content:
        application/json:
          schema: {$ref: "#/components/schemas/IssuedBatch"}
        image/png:
          schema: {type: string, format: binary}
        image/svg+xml:
          schema: {type: string}
  parameters:
    AttestationID:
      name: id
      in: path
      required: true
      schema: {type: string, pattern: "^[0-9a-f]{32}$"}
paths:
  /v1/attestations/age:
    post:
      summary: Issue age attestations, one per threshold met
      description: >-
        The birth date is used to compute which thresholds are met and then forgotten.
        With Accept image/png or image/svg+xml and exactly one threshold, the QR code itself.
      security: [{bearer: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [birth_date]
              properties:
                birth_date: {type: string, format: date, example: "2000-01-01"}
                thresholds: {type: array, items: {type: integer, minimum: 1, maximum: 150}, minItems: 1, maxItems: 16}
                valid_for: {type: integer, minimum: 60, maximum: 7776000, description: Seconds.}
                subject_ref: {type: string, minLength: 1, maxLength: 256}
      responses:
        "201": {$ref: "#/components/responses/Issued"}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "406": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "415": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "429": {$ref: "#/components/responses/Problem"}
  /v1/attestations/concession:
    post:
      summary: Issue a concession (status) attestation
      security: [{bearer: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [concession, valid_until]
              properties:
                concession: {type: string, enum: [student, senior, disability, veteran, large_family]}
                valid_until: {type: string, format: date, description: Last day of the entitlement.}
                subject_ref: {type: string, minLength: 1, maxLength: 256}
      responses:
        "201": {$ref: "#/components/responses/Issued"}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "406": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "415": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "429": {$ref: "#/components/responses/Problem"}
  /v1/attestations/identity:
    post:
      summary: Issue an identity attestation
      security: [{bearer: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [given_name, family_name, birth_date]
              properties:
                given_name: {type: string, minLength: 1, maxLength: 100}
                family_name: {type: string, minLength: 1, maxLength: 100}
                birth_date: {type: string, format: date}
                nationality: {type: string, pattern: "^[A-Z]{2}$", description: ISO 3166-1 alpha-2.}
                document_number: {type: string, pattern: "^[A-Za-z0-9<-]{1,40}$"}
                subject_ref: {type: string, minLength: 1, maxLength: 256}
                valid_for: {type: integer, minimum: 60, maximum: 31536000}
      responses:
        "201": {$ref: "#/components/responses/Issued"}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "406": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "415": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "429": {$ref: "#/components/responses/Problem"}
  /v1/attestations/{id}/revoke:
    post:
      summary: Revoke (or with suspend=true, suspend) an attestation; logged in the audit log
      security: [{bearer: []}]
      parameters: [{$ref: "#/components/parameters/AttestationID"}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                reason: {type: string, maxLength: 200}
                suspend: {type: boolean}
      responses:
        "200":
          description: The new state.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/StateChange"}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
        "409": {$ref: "#/components/responses/Problem"}
        "415": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "429": {$ref: "#/components/responses/Problem"}
  /v1/attestations/{id}/reinstate:
    post:
      summary: Reinstate a suspended attestation
      security: [{bearer: []}]
      parameters: [{$ref: "#/components/parameters/AttestationID"}]
      responses:
        "200":
          description: The new state.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/StateChange"}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
        "409": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "429": {$ref: "#/components/responses/Problem"}
  /v1/qr:
    post:
      summary: Render any text (usually a VCH1 code) as a QR code
      security: [{bearer: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [text]
              properties:
                text: {type: string, minLength: 1, maxLength: 4096}
                format: {type: string, enum: [png, svg]}
                scale: {type: integer, minimum: 1, maximum: 64}
                border: {type: integer, minimum: 0, maximum: 32}
                ecc: {type: string, enum: [L, M, Q, H]}
      responses:
        "200":
          description: The image.
          content:
            image/png:
              schema: {type: string, format: binary}
            image/svg+xml:
              schema: {type: string}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "406": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "415": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "429": {$ref: "#/components/responses/Problem"}
  /v1/verify:
    post:
      summary: Verify a code against a policy (a decision with exactly one reason)
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [token, policy]
              properties:
                token: {type: string, maxLength: 8192}
                policy: {type: string}
      responses:
        "200":
          description: The decision, accept or reject alike.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Decision"}
        "400": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "415": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
  /v1/policies:
    get:
      summary: The policy store
      responses:
        "200":
          description: All policies.
          content:
            application/json:
              schema:
                type: object
                properties:
                  policies: {type: array, items: {$ref: "#/components/schemas/Policy"}}
  /v1/policies/{id}:
    get:
      summary: One policy
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The policy.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Policy"}
        "404": {$ref: "#/components/responses/Problem"}
  /v1/trust:
    get:
      summary: The trust bundle terminals sync (roots, issuer certificates, policies)
      responses:
        "200":
          description: The bundle.
          content:
            application/json:
              schema: {type: object}
  /healthz:
    get:
      summary: Liveness
      responses:
        "200": {description: Alive., content: {application/json: {schema: {type: object}}}}
  /readyz:
    get:
      summary: Readiness (store reachable, keys loaded)
      responses:
        "200": {description: Ready., content: {application/json: {schema: {type: object}}}}
        "503": {$ref: "#/components/responses/Problem"}
  /metrics:
    get:
      summary: Prometheus metrics (no personal data in any label)
      responses:
        "200": {description: Prometheus text format., content: {text/plain: {schema: {type: string}}}}
  /openapi.yaml:
    get:
      summary: This document
      responses:
        "200": {description: OpenAPI 3.1 YAML., content: {application/yaml: {schema: {type: string}}}}
"""#
}
