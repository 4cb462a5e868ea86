/// Deterministic texts shaped like Vouch QR payloads.
enum TestTexts {
    /// QR alphanumeric mode's 45 characters, which are also Base45's alphabet.
    static let base45Alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")

    /// `"VCH1:"` followed by pseudo-random Base45 characters, `count` characters in all.
    static func vouch(count: Int, seed: UInt64 = 0x5EED) -> String {
        "VCH1:" + base45(count: count - 5, seed: seed)
    }

    /// Pseudo-random Base45 characters (a fixed linear congruential generator, so
    /// failures reproduce).
    static func base45(count: Int, seed: UInt64 = 0x5EED) -> String {
        var state = seed
        var characters: [Character] = []
        characters.reserveCapacity(count)
        for _ in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            characters.append(base45Alphabet[Int(state >> 33) % base45Alphabet.count])
        }
        return String(characters)
    }

    /// The most alphanumeric characters a version 40 symbol holds at ECC M (ISO/IEC 18004 table 7).
    static let version40MediumAlphanumericCapacity = 3391
    /// The same at ECC L.
    static let version40LowAlphanumericCapacity = 4296
}
