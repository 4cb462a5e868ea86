extension OpenAPIDocument {
    /// The audit log (format.md §5): checkpoint, key, entries (audit scope), proofs and tiles.
    static let logPaths = #"""
  /v1/log/checkpoint:
    get:
      operationId: getCheckpoint
      summary: The audit log's newest signed checkpoint (C2SP tlog-checkpoint as a C2SP signed note)
      description: >-
        Origin line, tree size and base64 root hash, signed with the log's Ed25519 key; verify it
        with the key from /v1/log/key obtained out of band. 404 while nothing has been logged.
      responses:
        "200": {description: The signed note., content: {text/plain: {schema: {type: string}}}}
        "404": {$ref: "#/components/responses/NotFound"}
  /v1/log/checkpoint/cosigned:
    get:
      operationId: getCosignedCheckpoint
      summary: The newest checkpoint a quorum of the log's witnesses cosigned (C2SP tlog-cosignature lines appended)
      description: >-
        The signed checkpoint with one cosignature/v1 line per witness that cosigned it (VOUCH_WITNESSES,
        VOUCH_WITNESS_QUORUM). It lags /v1/log/checkpoint while witnesses catch up or are down. 404 when
        the log has no witnesses configured, 503 while no checkpoint has a quorum yet.
      responses:
        "200": {description: The cosigned note., content: {text/plain: {schema: {type: string}}}}
\#(errorResponses(404, 503))
  /v1/log/key:
    get:
      operationId: getLogKey
      summary: The log's note verifier key, C2SP vkey text (name+keyhash+base64(0x01 || Ed25519 key))
      responses:
        "200": {description: The vkey and a newline., content: {text/plain: {schema: {type: string}}}}
  /v1/log/entries:
    get:
      operationId: getLogEntries
      summary: Audit log entries start to end (end exclusive), at most 1000, decoded (audit scope)
      description: >-
        The entries that exist in start ..< end: end is clamped to the log's size and to start + 1000,
        and an end before start is an empty page (the answer's end says which range was read).
      security: [{bearer: []}]
      parameters:
        - {name: start, in: query, required: true, schema: {type: integer, minimum: 0, maximum: 999999999999999999}}
        - name: end
          in: query
          required: false
          description: One past the last index; default start + 1000. Entries beyond the log are left out.
          schema: {type: integer, minimum: 0, maximum: 999999999999999999}
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
\#(errorResponses(400, 401, 403, 422, 429))
  /v1/log/proof/inclusion:
    get:
      operationId: getInclusionProof
      description: >-
        A tree size beyond the log, or an index not in the tree of that size, is not-found: the proof
        does not exist (yet).
      summary: RFC 9162 inclusion proof of entry index in the tree of size (default the whole log)
      parameters:
        - {name: index, in: query, required: true, schema: {type: integer, minimum: 0, maximum: 999999999999999999}}
        - {name: size, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 999999999999999999}}
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
\#(errorResponses(400, 404, 422))
  /v1/log/proof/consistency:
    get:
      operationId: getConsistencyProof
      description: >-
        A tree size beyond the log, or from larger than to, is not-found: the proof does not exist (yet).
      summary: RFC 9162 consistency proof from tree size from to tree size to (default the whole log)
      parameters:
        - {name: from, in: query, required: true, schema: {type: integer, minimum: 0, maximum: 999999999999999999}}
        - {name: to, in: query, required: false, schema: {type: integer, minimum: 0, maximum: 999999999999999999}}
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
\#(errorResponses(400, 404, 422))
  /v1/log/tile/{path}:
    get:
      operationId: getTile
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
        "404": {$ref: "#/components/responses/NotFound"}
"""#
}
