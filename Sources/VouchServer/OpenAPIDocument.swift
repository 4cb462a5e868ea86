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
        holder_binding: {type: string, enum: [required, optional, ignore]}
        presentation_max_age: {type: integer, minimum: 1, maximum: 3600}
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
  /v1/offers:
    post:
      summary: Make a wallet offer after the desk's own ID check (a single-use redeem link for the holder's phone)
      description: >-
        Stores only what will be issued: the thresholds met (the birth date is dropped at once) or the
        concession and its end date, and the hash of the offer secret. The secret is in the link's fragment
        (/wallet#offer=...&batch=N), which browsers never send to a server.
      security: [{bearer: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [kind]
              properties:
                kind: {type: string, enum: [age, concession]}
                birth_date: {type: string, format: date, description: "age offers: used to compute the thresholds met, then dropped"}
                thresholds: {type: array, minItems: 1, maxItems: 16, items: {type: integer, minimum: 1, maximum: 150}}
                concession: {type: string, enum: [student, senior, disability, veteran, large_family]}
                valid_until: {type: string, format: date}
                batch_size: {type: integer, minimum: 1, description: "codes the phone may collect (default 20, at most VOUCH_WALLET_MAX_BATCH)"}
      responses:
        "201":
          description: The offer; with Accept image/png or image/svg+xml, the QR code of redeem_url.
          content:
            application/json:
              schema:
                type: object
                required: [offer_id, redeem_url, expires_at, batch_size]
                properties:
                  offer_id: {type: string, pattern: "^[0-9a-f]{16}$"}
                  redeem_url: {type: string}
                  expires_at: {type: string, format: date-time}
                  batch_size: {type: integer}
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
  /v1/wallet/redeem:
    post:
      summary: Redeem an offer into a batch of holder-bound codes, one per key
      description: >-
        Keys are base64url SEC1 uncompressed P-256 points (65 bytes). proof is the ES256 signature (r||s,
        base64url) by wallet_key over "vouch wallet redeem v1\n" offer "\n" wallet_key "\n" and each key
        followed by "\n". Age codes take the thresholds met in turn.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [offer, wallet_key, keys, proof]
              properties:
                offer: {type: string}
                wallet_key: {type: string}
                keys: {type: array, minItems: 1, items: {type: string}}
                proof: {type: string}
      responses:
        "201": {$ref: "#/components/responses/WalletBatch"}
        "400": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
        "409": {$ref: "#/components/responses/Problem"}
        "410": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "415": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
  /v1/wallet/refresh:
    post:
      summary: Top a wallet up with fresh holder-bound codes
      description: >-
        signature is ES256 by the wallet key over "vouch wallet refresh v1\n" wallet_id "\n" time "\n" nonce
        "\n" and each key followed by "\n". time within 300 s of the server's clock; a nonce is accepted once;
        rate-limited per wallet; 403 wallet-revoked once the wallet is revoked.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [wallet_id, time, nonce, keys, signature]
              properties:
                wallet_id: {type: string, pattern: "^[0-9a-f]{32}$"}
                time: {type: integer, minimum: 0}
                nonce: {type: string}
                keys: {type: array, minItems: 1, items: {type: string}}
                signature: {type: string}
      responses:
        "201": {$ref: "#/components/responses/WalletBatch"}
        "400": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
        "409": {$ref: "#/components/responses/Problem"}
        "413": {$ref: "#/components/responses/Problem"}
        "415": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "429": {$ref: "#/components/responses/Problem"}
  /v1/wallets/{id}/revoke:
    post:
      summary: "Revoke a wallet (lost phone): no more refresh, every outstanding code revoked and logged"
      security: [{bearer: []}]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, pattern: "^[0-9a-f]{32}$"}}
      responses:
        "200":
          description: What was revoked.
          content:
            application/json:
              schema:
                type: object
                required: [wallet_id, revoked_codes, already_revoked]
                properties:
                  wallet_id: {type: string}
                  revoked_codes: {type: integer}
                  already_revoked: {type: boolean}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "429": {$ref: "#/components/responses/Problem"}
  /wallet:
    get:
      summary: The holder's wallet page (installable web app)
      responses:
        "200": {description: The file., content: {text/html: {schema: {type: string}}}}
  /wallet/app.js:
    get:
      summary: The wallet's script
      responses:
        "200": {description: The file., content: {text/javascript: {schema: {type: string}}}}
  /wallet/style.css:
    get:
      summary: The wallet's style
      responses:
        "200": {description: The file., content: {text/css: {schema: {type: string}}}}
  /wallet/manifest.webmanifest:
    get:
      summary: The wallet's web app manifest
      responses:
        "200": {description: The file., content: {application/manifest+json: {schema: {type: string}}}}
  /wallet/icon.svg:
    get:
      summary: The wallet's icon
      responses:
        "200": {description: The file., content: {image/svg+xml: {schema: {type: string}}}}
  /wallet/sw.js:
    get:
      summary: The wallet's service worker (offline at the till)
      responses:
        "200": {description: The file., content: {text/javascript: {schema: {type: string}}}}
  /wallet/qrcode.js:
    get:
      summary: Debian's node-qrcode-generator, from its system path (503 when not installed)
      responses:
        "200": {description: The file., content: {text/javascript: {schema: {type: string}}}}
        "503": {$ref: "#/components/responses/Problem"}
  /desk:
    get:
      summary: "The desk page, to make an offer and show its QR code"
      responses:
        "200": {description: The file., content: {text/html: {schema: {type: string}}}}
  /desk/app.js:
    get:
      summary: The desk's script
      responses:
        "200": {description: The file., content: {text/javascript: {schema: {type: string}}}}
  /desk/style.css:
    get:
      summary: The desk's style
      responses:
        "200": {description: The file., content: {text/css: {schema: {type: string}}}}
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
                token: {type: string, maxLength: 8192, description: "a VCH1: code or a VCP1: holder presentation"}
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
      summary: The trust bundle terminals sync (roots, issuer certificates, policies, status lists)
      description: >-
        JSON for people; with format=cose or Accept application/cose, the signed form (COSE_Sign1
        over the CBOR bundle, signed by the issuer key) that terminals verify against their root.
      parameters:
        - {name: format, in: query, required: false, schema: {type: string, enum: [json, cose]}}
        - {name: If-None-Match, in: header, required: false, schema: {type: string}}
      responses:
        "200":
          description: The bundle, with an ETag.
          content:
            application/json:
              schema: {type: object}
            application/cose:
              schema: {type: string, format: binary}
        "304": {description: Unchanged since the ETag given.}
  /terminal:
    get:
      summary: The checkout page (roles terminal and all)
      responses:
        "200": {description: The page., content: {text/html: {schema: {type: string}}}}
  /v1/terminal/state:
    get:
      summary: How fresh the terminal's trust data and status lists are (roles terminal and all)
      responses:
        "200": {description: The state., content: {application/json: {schema: {type: object}}}}
  /v1/status/{list}:
    get:
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
        "404": {$ref: "#/components/responses/Problem"}
  /v1/log/checkpoint:
    get:
      summary: The audit log's newest signed checkpoint (C2SP tlog-checkpoint as a C2SP signed note)
      description: >-
        Origin line, tree size and base64 root hash, signed with the log's Ed25519 key; verify it
        with the key from /v1/log/key obtained out of band. 404 while nothing has been logged.
      responses:
        "200": {description: The signed note., content: {text/plain: {schema: {type: string}}}}
        "404": {$ref: "#/components/responses/Problem"}
  /v1/log/key:
    get:
      summary: The log's note verifier key, C2SP vkey text (name+keyhash+base64(0x01 || Ed25519 key))
      responses:
        "200": {description: The vkey and a newline., content: {text/plain: {schema: {type: string}}}}
  /v1/log/entries:
    get:
      summary: Audit log entries start to end (end exclusive), at most 1000, decoded (audit scope)
      security: [{bearer: []}]
      parameters:
        - {name: start, in: query, required: true, schema: {type: integer, minimum: 0}}
        - name: end
          in: query
          required: false
          description: One past the last index; default start + 1000. Entries beyond the log are left out.
          schema: {type: integer, minimum: 0}
      responses:
        "200":
          description: The entries that exist in the range.
          content:
            application/json:
              schema:
                type: object
                required: [tree_size, start, end, entries]
                properties:
                  tree_size: {type: integer}
                  start: {type: integer}
                  end: {type: integer}
                  entries:
                    type: array
                    items:
                      type: object
                      required: [index, entry, leaf_hash]
                      properties:
                        index: {type: integer}
                        entry: {type: string, contentEncoding: base64, description: The deterministic CBOR entry.}
                        leaf_hash: {type: string, pattern: "^[0-9a-f]{64}$"}
                        event: {type: string, enum: [issued, revoked, suspended, reinstated, key_added, key_retired]}
                        time: {type: integer}
                        kid: {type: string}
                        token: {type: string, description: "SHA-256 of the COSE_Sign1 bytes, in hex."}
                        vct: {type: string}
                        status_list: {type: integer}
                        status_idx: {type: integer}
                        subject: {type: string}
                        cert: {type: string}
                        malformed: {type: boolean}
        "400": {$ref: "#/components/responses/Problem"}
        "401": {$ref: "#/components/responses/Problem"}
        "403": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
        "429": {$ref: "#/components/responses/Problem"}
  /v1/log/proof/inclusion:
    get:
      summary: RFC 9162 inclusion proof of entry index in the tree of size (default the whole log)
      parameters:
        - {name: index, in: query, required: true, schema: {type: integer, minimum: 0}}
        - {name: size, in: query, required: false, schema: {type: integer, minimum: 1}}
      responses:
        "200":
          description: The proof, the leaf hash and the root at size (base64), and the checkpoint signed at size if any.
          content:
            application/json:
              schema:
                type: object
                required: [index, tree_size, leaf_hash, proof, root_hash]
                properties:
                  index: {type: integer}
                  tree_size: {type: integer}
                  leaf_hash: {type: string, contentEncoding: base64}
                  proof: {type: array, items: {type: string, contentEncoding: base64}}
                  root_hash: {type: string, contentEncoding: base64}
                  checkpoint: {type: string}
        "400": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
  /v1/log/proof/consistency:
    get:
      summary: RFC 9162 consistency proof from tree size from to tree size to (default the whole log)
      parameters:
        - {name: from, in: query, required: true, schema: {type: integer, minimum: 0}}
        - {name: to, in: query, required: false, schema: {type: integer, minimum: 0}}
      responses:
        "200":
          description: The proof and both roots (base64).
          content:
            application/json:
              schema:
                type: object
                required: [from, to, proof, from_root_hash, to_root_hash]
                properties:
                  from: {type: integer}
                  to: {type: integer}
                  proof: {type: array, items: {type: string, contentEncoding: base64}}
                  from_root_hash: {type: string, contentEncoding: base64}
                  to_root_hash: {type: string, contentEncoding: base64}
        "400": {$ref: "#/components/responses/Problem"}
        "422": {$ref: "#/components/responses/Problem"}
  /v1/log/tile/{path}:
    get:
      summary: C2SP tlog-tiles hash tiles and entry bundles
      description: >-
        The path after /v1/log/tile/ is a tlog-tiles tile path with literal slashes: <L>/<N>[.p/<W>]
        for hash tiles, entries/<N>[.p/<W>] for entry bundles, <N> in x-prefixed three-digit groups
        (0/x001/234.p/17). Full tiles never change (long Cache-Control); partial ones get a short one.
        Non-canonical paths and tiles beyond the log are 404.
      parameters:
        - name: path
          in: path
          required: true
          description: e.g. 0/000.p/5, 1/000, entries/000
          schema: {type: string}
      responses:
        "200": {description: The tile bytes., content: {application/octet-stream: {schema: {type: string, format: binary}}}}
        "404": {$ref: "#/components/responses/Problem"}
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
