extension Claims {
    /// Decodes a COSE payload into claims, strictly.
    ///
    /// - Throws: ``FormatError`` `.malformed` naming the claim that is wrong
    ///   (by its key, never by its value).
    public init(payload: [UInt8], limits: CBORLimits = .default) throws(FormatError) {
        let item: CBOR
        do {
            item = try CBORDecoder.decode(payload, limits: limits)
        } catch {
            throw .malformed("claims: \(error)")
        }
        try self.init(cbor: item)
    }

    /// Reads claims from a decoded CBOR map.
    public init(cbor item: CBOR) throws(FormatError) {
        guard case .map(let pairs) = item else { throw .malformed("claims must be a map") }
        var issuer: String?, exp: UInt64?, iat: UInt64?, cti: [UInt8]?, vct: String?
        var ageOver: [Int] = []
        var concession: String?, status: StatusReference?, cnf: COSEKey?
        var personal: [String: String] = [:]

        for pair in pairs {
            switch pair.key {
            case .unsigned(Key.iss): issuer = try Self.text(pair.value, "iss")
            case .unsigned(Key.exp): exp = try Self.numericDate(pair.value, "exp")
            case .unsigned(Key.iat): iat = try Self.numericDate(pair.value, "iat")
            case .unsigned(Key.cti):
                guard case .bytes(let b) = pair.value, b.count == 16 else {
                    throw .malformed("claim cti must be a 16-byte string")
                }
                cti = b
            case .unsigned(Key.cnf):
                cnf = try COSEKey(confirmation: pair.value)
            case .unsigned(Key.status): status = try Self.statusReference(pair.value)
            case .text(let name):
                if name == "vct" {
                    vct = try Self.text(pair.value, name)
                } else if let threshold = Self.ageThreshold(name) {
                    guard pair.value == true else { throw .malformed("claim \(name) must be true") }
                    ageOver.append(threshold)
                } else if name == "concession" {
                    concession = try Self.text(pair.value, name)
                } else if Self.identityClaims.contains(name) {
                    personal[name] = try Self.text(pair.value, name)
                } else {
                    throw .malformed("unknown claim \"\(name)\"")
                }
            default:
                throw .malformed("unknown claim \(pair.key.diagnostic)")
            }
        }
        guard let issuer else { throw .malformed("claim iss is missing") }
        guard let exp else { throw .malformed("claim exp is missing") }
        guard let iat else { throw .malformed("claim iat is missing") }
        guard let cti else { throw .malformed("claim cti is missing") }
        guard let vct else { throw .malformed("claim vct is missing") }
        let type = AttestationType(rawValue: vct)

        var identity: IdentityAttributes?
        switch type {
        case .age:
            guard !ageOver.isEmpty else { throw .malformed("an age attestation needs an age_over_NN claim") }
            guard concession == nil, personal.isEmpty else {
                throw .malformed("an age attestation carries only age_over_NN claims")
            }
        case .concession:
            guard let concession, !concession.isEmpty else {
                throw .malformed("a concession attestation needs a concession claim")
            }
            guard ageOver.isEmpty, personal.isEmpty else {
                throw .malformed("a concession attestation carries only the concession claim")
            }
        case .identity:
            guard ageOver.isEmpty, concession == nil else {
                throw .malformed("an identity attestation carries no age_over or concession claim")
            }
            guard let given = personal["given_name"], let family = personal["family_name"],
                  let birth = personal["birth_date"]
            else { throw .malformed("an identity attestation needs given_name, family_name and birth_date") }
            identity = IdentityAttributes(givenName: given, familyName: family, birthDate: birth,
                                          nationality: personal["nationality"],
                                          documentNumber: personal["document_number"])
        default:
            // An unknown vct is well-formed; the policy decides (`wrong_type`).
            guard personal.isEmpty || ageOver.isEmpty else {
                throw .malformed("claims of different attestation types are mixed")
            }
        }
        self.init(issuer: issuer, expiresAt: exp, issuedAt: iat, tokenID: cti, type: type,
                  ageOver: ageOver.sorted(), concession: concession, identity: identity, status: status,
                  holderKey: cnf)
    }

    static let identityClaims: Set<String> = ["given_name", "family_name", "birth_date", "nationality",
                                              "document_number"]

    /// `NN` of a claim named `age_over_NN` (decimal, no leading zero), if it is one.
    ///
    /// Read as UTF-8 bytes: every claim name of every code passes through
    /// here, and the `Character` view (`hasPrefix`, `count`, `isNumber`) cost
    /// about 11k instructions per presentation verify. Only the ASCII digits
    /// 0-9 count, as before: a combining mark or another script's digit makes
    /// a byte outside 0x30-0x39, so the name is not an age claim.
    public static func ageThreshold(_ name: String) -> Int? {
        // Through the contiguous bytes: `utf8.starts(with:)` on the view was about 700 instructions.
        var name = name
        return name.withUTF8 { utf8 -> Int? in
            let prefix = ageClaimPrefix
            guard utf8.count > prefix.count, utf8.count <= prefix.count + 3 else { return nil }
            for index in prefix.indices where utf8[index] != prefix[index] { return nil }
            var n = 0
            for index in prefix.count..<utf8.count {
                let byte = utf8[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"),
                      index > prefix.count || byte != UInt8(ascii: "0") else { return nil }
                n = n * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return ageThresholdRange.contains(n) ? n : nil
        }
    }

    private static let ageClaimPrefix: [UInt8] = Array("age_over_".utf8)

    private static func text(_ value: CBOR, _ name: String) throws(FormatError) -> String {
        guard case .text(let s) = value else { throw .malformed("claim \(name) must be a text string") }
        return s
    }

    private static func numericDate(_ value: CBOR, _ name: String) throws(FormatError) -> UInt64 {
        guard case .unsigned(let n) = value else { throw .malformed("claim \(name) must be an unsigned integer") }
        return n
    }

    private static func statusReference(_ value: CBOR) throws(FormatError) -> StatusReference {
        guard case .map(let outer) = value, outer.count == 1, let list = value["status_list"],
              case .map(let inner) = list, inner.count == 2,
              case .unsigned(let idx)? = list["idx"], case .text(let uri)? = list["uri"]
        else { throw .malformed("claim status must be {\"status_list\": {\"idx\": uint, \"uri\": tstr}}") }
        return StatusReference(index: idx, uri: uri)
    }
}
