import VouchIssuer

extension OpenAPIDocument {
    /// Characters a name may not hold anywhere: controls and (BMP) format characters except ZWJ,
    /// as `IdentityValidation` refuses them; a name may also not start or end with white space.
    static let nameForbidden = #"\x00-\x1F\x7F-\x9F\xAD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E"#
        + #"\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB"#
    static let namePattern = "'^[^\\s\(nameForbidden)](?:[^\(nameForbidden)]*[^\\s\(nameForbidden)])?$'"
    /// The assigned ISO 3166-1 alpha-2 codes, quoted (YAML would read NO as false).
    static let countries = CountryCodes.assigned.sorted().map { "\"\($0)\"" }.joined(separator: ", ")

    /// Issuance (issue scope) and revocation (revoke scope).
    static let attestationPaths = #"""
  /v1/attestations/age:
    post:
      operationId: issueAge
      summary: Issue age attestations, one per threshold met
      description: >-
        The birth date is used to compute which thresholds are met and then forgotten.
        With Accept image/png or image/svg+xml and exactly one threshold, the QR code itself.
        A birth date after today is invalid-field; one under every threshold asked for is not-eligible
        (both depend on today's date, which no schema can say).
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
                birth_date: {$ref: "#/components/schemas/Date"}
                thresholds: {type: array, items: {type: integer, minimum: 1, maximum: 150}, minItems: 1, maxItems: 16}
                valid_for: {type: integer, minimum: 60, maximum: 7776000, description: Seconds.}
                subject_ref: {$ref: "#/components/schemas/SubjectRef"}
            examples:
              every-threshold: {summary: The README's first request, value: {birth_date: "2000-01-01"}}
              one-threshold: {summary: "The README's QR request (Accept: image/png)", value: {birth_date: "2000-01-01", thresholds: [18]}}
      responses:
        "201": {$ref: "#/components/responses/Issued"}
\#(errorResponses(400, 401, 403, 406, 413, 415, 422, 429, 503))
  /v1/attestations/concession:
    post:
      operationId: issueConcession
      summary: Issue a concession (status) attestation
      description: >-
        valid_until must be after today and at most 400 days away (invalid-field otherwise; it depends
        on today's date, which no schema can say).
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
                valid_until: {$ref: "#/components/schemas/Date", description: Last day of the entitlement.}
                subject_ref: {$ref: "#/components/schemas/SubjectRef"}
      responses:
        "201": {$ref: "#/components/responses/Issued"}
\#(errorResponses(400, 401, 403, 406, 413, 415, 422, 429, 503))
  /v1/attestations/identity:
    post:
      operationId: issueIdentity
      summary: Issue an identity attestation
      description: >-
        Names are 1 to 100 characters without control or format characters (ZWJ allowed) and without
        white space at either end. A birth date after today is invalid-field (it depends on today's date).
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
                given_name: {type: string, minLength: 1, maxLength: 100, pattern: \#(namePattern)}
                family_name: {type: string, minLength: 1, maxLength: 100, pattern: \#(namePattern)}
                birth_date: {$ref: "#/components/schemas/Date"}
                nationality: {type: string, enum: [\#(countries)], description: ISO 3166-1 alpha-2, assigned codes.}
                document_number: {type: string, pattern: "^[A-Za-z0-9<-]{1,40}$"}
                subject_ref: {$ref: "#/components/schemas/SubjectRef"}
                valid_for: {type: integer, minimum: 60, maximum: 31536000, description: Seconds.}
      responses:
        "201": {$ref: "#/components/responses/Issued"}
\#(errorResponses(400, 401, 403, 406, 413, 415, 422, 429, 503))
  /v1/attestations/{id}/revoke:
    post:
      operationId: revokeAttestation
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
            examples:
              lost: {summary: "The README's revoke (a code reported lost)", value: {reason: lost}}
      responses:
        "200": {$ref: "#/components/responses/StateChanged"}
\#(errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 429, 503))
  /v1/attestations/{id}/reinstate:
    post:
      operationId: reinstateAttestation
      summary: Reinstate a suspended attestation
      security: [{bearer: []}]
      parameters: [{$ref: "#/components/parameters/AttestationID"}]
      responses:
        "200": {$ref: "#/components/responses/StateChanged"}
\#(errorResponses(401, 403, 404, 409, 422, 429, 503))
  /v1/qr:
    post:
      operationId: renderQR
      summary: Render any text (usually a VCH1 code) as a QR code
      description: >-
        Text without NUL, 1 to 4096 characters. Text too long for a QR code at the chosen error
        correction is invalid-field (capacity depends on the characters, which no schema can say).
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
                text: {type: string, minLength: 1, maxLength: 4096, pattern: '^[^\x00]+$'}
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
\#(errorResponses(400, 401, 403, 406, 413, 415, 422, 429))
"""#
}
