extension OpenAPIDocument {
    /// Public verification: verify, policies, the trust bundle and status lists.
    static let verificationPaths = #"""
  /v1/verify:
    post:
      operationId: verify
      summary: Verify a code against a policy (a decision with exactly one reason)
      description: >-
        A token is whatever a scanner read: text over 4096 characters is the decision reject
        payload_too_large, an unknown policy the decision unknown_policy (200 like every decision).
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [token, policy]
              properties:
                token: {type: string}
                policy: {type: string}
            examples:
              a-product-barcode: {summary: A scan that is no Vouch code (decision reject unrecognized), value: {token: "5012345678900", policy: alcohol-uk}}
      responses:
        "200":
          description: The decision, accept or reject alike.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Decision"}
\#(errorResponses(400, 413, 415, 422))
  /v1/policies:
    get:
      operationId: listPolicies
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
      operationId: getPolicy
      summary: One policy
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The policy.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Policy"}
        "404": {$ref: "#/components/responses/NotFound"}
  /v1/trust:
    get:
      operationId: getTrustBundle
      summary: The trust bundle terminals sync (roots, issuer certificates, policies, status lists)
      description: >-
        JSON for people; with format=cose or Accept application/cose, the signed form (COSE_Sign1
        over the CBOR bundle, signed by the issuer key) that terminals verify against their root.
        Any other format is invalid-field.
      parameters:
        - {name: format, in: query, required: false, schema: {type: string, enum: [json, cose]}}
        - {name: If-None-Match, in: header, required: false, schema: {type: string}}
      responses:
        "200":
          description: The bundle, with an ETag.
          headers:
            ETag: {schema: {type: string}}
          content:
            application/json:
              schema: {type: object}
            application/cose:
              schema: {type: string, format: binary}
        "304": {description: Unchanged since the ETag given.}
        "422": {$ref: "#/components/responses/Invalid"}
  /v1/status/{list}:
    get:
      operationId: getStatusList
      summary: A signed Status List Token (CWT, draft-ietf-oauth-status-list), for terminals to fetch whole
      description: >-
        2 bits per attestation (0 valid, 1 revoked, 2 suspended), zlib-compressed, signed with the
        issuer key. Cache-Control max-age is the token's ttl; send the ETag back in If-None-Match
        to get 304 while the list is unchanged.
      parameters:
        - {name: list, in: path, required: true, schema: {type: string, pattern: "^(0|[1-9][0-9]{0,8})$"}}
        - {name: If-None-Match, in: header, required: false, schema: {type: string}}
      responses:
        "200":
          description: The Status List Token (COSE_Sign1, typ application/statuslist+cwt).
          headers:
            ETag: {schema: {type: string}}
            Cache-Control: {schema: {type: string}}
          content:
            application/statuslist+cwt:
              schema: {type: string, format: binary}
        "304":
          description: Unchanged since the ETag given in If-None-Match.
        "404": {$ref: "#/components/responses/NotFound"}
"""#

    /// The checkout page of roles terminal and all.
    static let terminalPaths = #"""
  /terminal:
    get:
      operationId: terminalPage
      summary: The checkout page (roles terminal and all)
      responses:
        "200": {description: The page., content: {text/html: {schema: {type: string}}}}
  /v1/terminal/state:
    get:
      operationId: terminalState
      summary: How fresh the terminal's trust data and status lists are (roles terminal and all)
      responses:
        "200": {description: The state., content: {application/json: {schema: {type: object}}}}
"""#

    /// Health, metrics and this document.
    static let operationsPaths = #"""
  /healthz:
    get:
      operationId: healthz
      summary: Liveness
      responses:
        "200": {description: Alive., content: {application/json: {schema: {type: object}}}}
  /readyz:
    get:
      operationId: readyz
      summary: Readiness (store reachable, keys loaded, the clock inside the issuer certificate's validity)
      responses:
        "200": {description: Ready., content: {application/json: {schema: {type: object}}}}
        "503": {$ref: "#/components/responses/Unavailable"}
  /metrics:
    get:
      operationId: metrics
      summary: Prometheus metrics (no personal data in any label)
      responses:
        "200": {description: Prometheus text format., content: {text/plain: {schema: {type: string}}}}
  /openapi.yaml:
    get:
      operationId: openapi
      summary: This document
      responses:
        "200": {description: OpenAPI 3.1 YAML., content: {application/yaml: {schema: {type: string}}}}
"""#
}
