extension OpenAPIDocument {
    /// Holder wallets (format.md §6, service.md "Holder wallet"): offers, redeem, refresh, wallet revocation,
    /// and the wallet and desk pages.
    static let walletPaths = #"""
  /v1/offers:
    post:
      operationId: createOffer
      summary: Make a wallet offer after the desk's own ID check (a single-use redeem link for the holder's phone)
      description: >-
        422 invalid-field also for what depends on today or on the configuration: a birth date after
        today, a holder under every threshold (not-eligible), a concession end in the past or more than
        400 days away, a batch_size above VOUCH_WALLET_MAX_BATCH.
        Stores only what will be issued: the thresholds met (the birth date is dropped at once) or the
        concession and its end date, and the hash of the offer secret. The secret is in the link's fragment
        (/wallet#offer=...&batch=N), which browsers never send to a server.
      security: [{bearer: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - type: object
                  additionalProperties: false
                  required: [kind, birth_date]
                  properties:
                    kind: {const: age}
                    birth_date: {$ref: "#/components/schemas/Date"}
                    thresholds: {type: array, minItems: 1, maxItems: 16, items: {type: integer, minimum: 1, maximum: 150}}
                    batch_size: {$ref: "#/components/schemas/BatchSize"}
                - type: object
                  additionalProperties: false
                  required: [kind, concession, valid_until]
                  properties:
                    kind: {const: concession}
                    concession: {type: string, enum: [student, senior, disability, veteran, large_family]}
                    valid_until: {$ref: "#/components/schemas/Date"}
                    batch_size: {$ref: "#/components/schemas/BatchSize"}
            examples:
              age-offer: {summary: "The README's offer", value: {kind: age, birth_date: "2000-01-01"}}
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
          links:
            redeem:
              operationId: redeemOffer
              description: >-
                The phone redeems the offer whose secret is in redeem_url's fragment (#offer=...); the wallet
                takes the secret from the link and signs the rest with keys it makes.
              requestBody: {offer: "$response.body#/redeem_url"}
\#(problemResponses("createOffer"))
  /v1/wallet/redeem:
    post:
      operationId: redeemOffer
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
                offer: {type: string, pattern: "^[A-Za-z0-9_-]{43}$", description: "the 32-byte offer secret, base64url"}
                wallet_key: {$ref: "#/components/schemas/P256Key"}
                keys:
                  type: array
                  minItems: 1
                  maxItems: 200
                  description: "at most the offer's batch_size and VOUCH_WALLET_MAX_BATCH (50; settable up to 200)"
                  items: {$ref: "#/components/schemas/P256Key"}
                proof: {$ref: "#/components/schemas/ES256Signature"}
      responses:
        "201": {$ref: "#/components/responses/WalletBatch"}
\#(problemResponses("redeemOffer"))
  /v1/wallet/refresh:
    post:
      operationId: refreshWallet
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
                time: {type: integer, minimum: 0, maximum: 4294967295, description: "NumericDate (seconds)"}
                nonce: {type: string, pattern: "^[A-Za-z0-9_-]{22,86}$", description: "16 to 64 random bytes, base64url"}
                keys:
                  type: array
                  minItems: 1
                  maxItems: 200
                  description: "at most the wallet's batch size and VOUCH_WALLET_MAX_BATCH (50; settable up to 200)"
                  items: {$ref: "#/components/schemas/P256Key"}
                signature: {$ref: "#/components/schemas/ES256Signature"}
      responses:
        "201": {$ref: "#/components/responses/WalletBatch"}
\#(problemResponses("refreshWallet"))
  /v1/wallets/{id}/revoke:
    post:
      operationId: revokeWallet
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
          links:
            refreshRevoked:
              operationId: refreshWallet
              description: A refresh of a revoked wallet is 403 wallet-revoked.
              requestBody: {wallet_id: "$response.body#/wallet_id"}
            revokeAgain:
              operationId: revokeWallet
              parameters: {id: "$response.body#/wallet_id"}
\#(problemResponses("revokeWallet"))
  /wallet:
    get:
      operationId: getWalletPage
      summary: The holder's wallet page (installable web app)
      responses:
        "200": {description: The file., content: {text/html: {schema: {type: string}}}}
  /wallet/app.js:
    get:
      operationId: getWalletScript
      summary: The wallet's script
      responses:
        "200": {description: The file., content: {text/javascript: {schema: {type: string}}}}
  /wallet/logcheck.js:
    get:
      operationId: getWalletLogCheckScript
      summary: "The wallet's own log check: its codes proven in the log from public tiles and entry bundles only"
      responses:
        "200": {description: The file., content: {text/javascript: {schema: {type: string}}}}
  /wallet/style.css:
    get:
      operationId: getWalletStyle
      summary: The wallet's style
      responses:
        "200": {description: The file., content: {text/css: {schema: {type: string}}}}
  /wallet/manifest.webmanifest:
    get:
      operationId: getWalletManifest
      summary: The wallet's web app manifest
      responses:
        "200": {description: The file., content: {application/manifest+json: {schema: {type: object}}}}
  /wallet/icon.svg:
    get:
      operationId: getWalletIcon
      summary: The wallet's icon
      responses:
        "200": {description: The file., content: {image/svg+xml: {schema: {type: string}}}}
  /wallet/sw.js:
    get:
      operationId: getWalletServiceWorker
      summary: The wallet's service worker (offline at the till)
      responses:
        "200": {description: The file., content: {text/javascript: {schema: {type: string}}}}
  /wallet/qrcode.js:
    get:
      operationId: getQRCodeScript
      summary: Debian's node-qrcode-generator, from its system path (503 when not installed)
      responses:
        "200": {description: The file., content: {text/javascript: {schema: {type: string}}}}
        "503": {$ref: "#/components/responses/Unavailable"}
  /desk:
    get:
      operationId: getDeskPage
      summary: "The desk page, to make an offer and show its QR code"
      responses:
        "200": {description: The file., content: {text/html: {schema: {type: string}}}}
  /desk/app.js:
    get:
      operationId: getDeskScript
      summary: The desk's script
      responses:
        "200": {description: The file., content: {text/javascript: {schema: {type: string}}}}
  /desk/style.css:
    get:
      operationId: getDeskStyle
      summary: The desk's style
      responses:
        "200": {description: The file., content: {text/css: {schema: {type: string}}}}
"""#
}
