extension SignedNote {
    /// Parses a signed note and checks its signatures.
    ///
    /// Strict: the note must be valid UTF-8 of at most 1 MiB without control
    /// characters other than newlines; the text must end in a newline and be
    /// followed by a blank line and at least one signature line; every
    /// signature line must be `— <name> <base64>` with a valid key name and
    /// canonical base64 of at least 5 bytes; a key (name and hash) may sign
    /// only once. Signatures by keys not in `verifiers` are kept, unchecked,
    /// in ``unverifiedSignatures``; a signature by a known key that does not
    /// verify rejects the whole note.
    ///
    /// - Parameters:
    ///   - note: The note bytes as received.
    ///   - verifiers: The keys the caller trusts.
    /// - Returns: The note, with at least one verified signature.
    /// - Throws: `LogError.malformedNote` for anything malformed,
    ///   `.invalidSignature` if a known key's signature fails,
    ///   `.unverifiedNote` if no known key signed it.
    public static func open(note: [UInt8], verifiers: [NoteVerifier]) throws(LogError) -> SignedNote {
        guard note.count <= maximumSize else { throw LogError(.malformedNote, "note larger than 1 MiB") }
        guard String(validating: note, as: UTF8.self) != nil else {
            throw LogError(.malformedNote, "note is not UTF-8")
        }
        guard !note.contains(where: { $0 < 0x20 && $0 != 0x0a }) else {
            throw LogError(.malformedNote, "note contains a control character")
        }
        guard let split = lastBlankLine(note) else {
            throw LogError(.malformedNote, "note has no blank line before its signatures")
        }
        let text = note[..<(split + 1)]
        let block = note[(split + 2)...]
        guard !block.isEmpty, block.last == 0x0a else {
            throw LogError(.malformedNote, "note has no signature lines")
        }
        try checkText(text)
        let textBytes = Array(text)

        var known: [KeyID: NoteVerifier] = [:]
        for verifier in verifiers where known[KeyID(verifier.name, verifier.keyHash)] == nil {
            known[KeyID(verifier.name, verifier.keyHash)] = verifier
        }

        var seen: Set<KeyID> = []
        var verified: [Signature] = []
        var unverified: [Signature] = []
        for line in block.dropLast().split(separator: 0x0a, omittingEmptySubsequences: false) {
            let signature = try parseLine(line)
            guard seen.count < maximumSignatures else { throw LogError(.malformedNote, "more than 100 signatures") }
            let id = KeyID(signature.name, signature.keyHash)
            guard seen.insert(id).inserted else {
                throw LogError(.malformedNote, "key \(signature.name) signs the note twice")
            }
            if let verifier = known[id] {
                guard verifier.isValidSignature(signature.signature, for: textBytes) else {
                    throw LogError(.invalidSignature, "signature by \(signature.name) does not verify")
                }
                verified.append(signature)
            } else {
                unverified.append(signature)
            }
        }
        guard !verified.isEmpty else { throw LogError(.unverifiedNote, "no signature by a known key") }
        return SignedNote(text: String(decoding: textBytes, as: UTF8.self), signatures: verified,
                          unverifiedSignatures: unverified)
    }

    /// Parses a signed note given as text; see the byte form of `open(note:verifiers:)`.
    public static func open(note: String, verifiers: [NoteVerifier]) throws(LogError) -> SignedNote {
        try open(note: Array(note.utf8), verifiers: verifiers)
    }

    private struct KeyID: Hashable {
        let name: String
        let hash: UInt32

        init(_ name: String, _ hash: UInt32) {
            self.name = name
            self.hash = hash
        }
    }

    /// The offset of the first newline of the last "\n\n" in `note`.
    private static func lastBlankLine(_ note: [UInt8]) -> Int? {
        var i = note.count - 2
        while i >= 0 {
            if note[i] == 0x0a && note[i + 1] == 0x0a { return i }
            i -= 1
        }
        return nil
    }

    private static func parseLine(_ line: ArraySlice<UInt8>) throws(LogError) -> Signature {
        let prefix = Array(signaturePrefix.utf8)
        guard line.starts(with: prefix) else {
            throw LogError(.malformedNote, "signature line does not start with an em dash and a space")
        }
        let rest = line.dropFirst(prefix.count)
        guard let space = rest.firstIndex(of: 0x20) else {
            throw LogError(.malformedNote, "signature line has no space after the key name")
        }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        guard NoteVerifier.isValidName(name) else { throw LogError(.malformedNote, "invalid key name in signature line") }
        let encoded = String(decoding: rest[(space + 1)...], as: UTF8.self)
        guard let payload = Base64.decode(encoded), payload.count >= 5 else {
            throw LogError(.malformedNote, "signature of \(name) is not canonical base64 of at least 5 bytes")
        }
        let hash = payload.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Signature(name: name, keyHash: hash, signature: Array(payload.dropFirst(4)))
    }
}
