/// What a keyboard-wedge scanner set up as a US keyboard types through a
/// till's own keyboard layout, and how to get the intended text back.
///
/// A wedge scanner sends key positions, not characters: for `:` it presses
/// Shift and the key that is `;` on a US keyboard. The till reads that key
/// with its own layout, so a German till sees `Ö`. Only the characters of a
/// Vouch code matter (`VCH1:` and Base45: `0-9 A-Z`, space, `$ % * + - . / :`);
/// per layout, those that come out differently:
///
/// | intended | de (QWERTZ) | ch (Swiss German) | fr (AZERTY) | uk |
/// |---|---|---|---|---|
/// | `Y` `Z` | `Z` `Y` | `Z` `Y` | | |
/// | `A` `Q` `W` `Z` `M` | | | `Q` `A` `Z` `W` `?` | |
/// | `1`…`0` | | | `& é " ' ( - è _ ç à` | |
/// | `$` `%` `*` | `$` `%` `(` | `ç` `%` `(` | `4` `5` `8` | |
/// | `+` | dead `` ` `` | dead `` ` `` | `+` | |
/// | `-` `.` `/` `:` | `ß` `.` `-` `Ö` | `'` `.` `-` `é` | `)` `:` `!` `M` | |
///
/// A UK layout differs from US only outside that alphabet (`@ " # £ \ ~`), so
/// a code typed through it arrives unchanged; it is listed so that the tests
/// show that. On German and Swiss layouts `+` is a dead grave accent: before
/// `A E I O U` it makes `À È Ì Ò Ù`, before a space it yields `` ` `` alone and
/// swallows the space, before anything else `` ` `` and that character. So a
/// received `` ` `` stands for `+` or `+ `; ``candidates(for:)`` tries both
/// (bounded), and only a signature decides.
public struct ScannerLayout: Sendable, Hashable {
    /// Short name reported with a decision (`"layout": "de"`).
    public let id: String
    public let name: String
    /// Received character -> intended character.
    let table: [Character: Character]
    /// Whether the US `+` key is a dead grave accent on this layout.
    let deadGravePlus: Bool

    /// The layouts tried, in this order, when a scan does not read as typed.
    public static let all: [ScannerLayout] = [.german, .swissGerman, .french, .british]

    public static let german = ScannerLayout(
        id: "de", name: "German (QWERTZ)",
        table: ["Z": "Y", "Y": "Z", "(": "*", "ß": "-", "-": "/", "Ö": ":"], deadGravePlus: true)

    public static let swissGerman = ScannerLayout(
        id: "ch", name: "Swiss German (QWERTZ)",
        table: ["Z": "Y", "Y": "Z", "ç": "$", "(": "*", "'": "-", "-": "/", "é": ":"], deadGravePlus: true)

    public static let french = ScannerLayout(
        id: "fr", name: "French (AZERTY)",
        table: ["&": "1", "é": "2", "\"": "3", "'": "4", "(": "5", "-": "6", "è": "7", "_": "8", "ç": "9", "à": "0",
                "4": "$", "5": "%", "8": "*", "Q": "A", "A": "Q", "Z": "W", "W": "Z", "?": "M", "M": ":",
                ")": "-", ":": ".", "!": "/"],
        deadGravePlus: false)

    public static let british = ScannerLayout(id: "uk", name: "British (UK)", table: [:], deadGravePlus: false)

    /// Letters a dead grave combines with, and what it makes of them.
    static let graveVowels: [Character: Character] = ["À": "A", "È": "E", "Ì": "I", "Ò": "O", "Ù": "U"]
    /// At most this many received `` ` `` are expanded both ways (2^n candidates).
    static let maximumAmbiguousGraves = 6

    /// `text` read back as the intended text, with every received `` ` `` as `+`.
    public func remap(_ text: String) -> String { candidates(for: text).first ?? text }

    /// The texts `text` may have been before this layout changed them, most
    /// likely first; empty when this layout would have left `text` as it is.
    ///
    /// Every received `` ` `` is `+` or `+ ` (the dead key swallowed a space).
    /// Up to ``maximumAmbiguousGraves`` of them, every combination is tried.
    /// Beyond that (a wallet presentation of 800 characters has about twenty
    /// `+`), and only for a text with a Vouch prefix (`VCH1:`, `VCP1:`), both
    /// readings are followed and a reading is dropped as soon as its Base45 has
    /// a group that no Base45 encoder writes (a triplet above 65535): a wrong
    /// reading shifts the groups after it, so it dies within a few groups. At
    /// most ``maximumReadings`` are kept; readings that end as Base45 come first.
    public func candidates(for text: String) -> [String] {
        var pieces: [[String]] = [[""]]
        var changed = false
        let graves = deadGravePlus ? text.reduce(0) { $1 == "`" ? $0 + 1 : $0 } : 0
        let prune = graves > Self.maximumAmbiguousGraves && Self.hasVouchPrefix(text, layout: self)
        let expandGraves = graves <= Self.maximumAmbiguousGraves || prune
        for character in text {
            if deadGravePlus, character == "`" {
                changed = true
                pieces.append(expandGraves ? ["+", "+ "] : ["+"])
                continue
            }
            if deadGravePlus, let vowel = Self.graveVowels[character] {
                changed = true
                pieces.append(["+" + String(vowel)])
                continue
            }
            let mapped = table[character] ?? character
            if mapped != character { changed = true }
            let last = pieces.count - 1
            if pieces[last].count == 1 {
                pieces[last][0].append(mapped)
            } else {
                pieces.append([String(mapped)])
            }
        }
        guard changed else { return [] }
        var readings = [""]
        for options in pieces {
            readings = readings.flatMap { prefix in options.map { prefix + $0 } }
            if prune, options.count > 1 {
                readings = readings.filter(Self.couldBeBase45Code)
                if readings.count > Self.maximumReadings { readings.removeLast(readings.count - Self.maximumReadings) }
            }
        }
        // Readings that are whole Base45 first; each reading is judged once.
        let whole = readings.map { Self.couldBeBase45Code($0) && Self.endsAsBase45($0) }
        return zip(readings, whole).filter { $1 }.map(\.0) + zip(readings, whole).filter { !$1 }.map(\.0)
    }

    /// At most this many readings are kept while expanding (each is later checked by its signature).
    static let maximumReadings = 64
    static let base45Alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    static let base45Values: [Character: Int] = Dictionary(uniqueKeysWithValues: base45Alphabet.enumerated().map { ($1, $0) })

    /// Whether `text`, read through `layout`, starts like a Vouch code or presentation.
    static func hasVouchPrefix(_ text: String, layout: ScannerLayout) -> Bool {
        let head = String(text.prefix(5).map { layout.table[$0] ?? $0 })
        return head == "VCH1:" || head == "VCP1:"
    }

    /// False when `reading` has a Vouch prefix and a complete Base45 group after
    /// it that is not Base45 (a character outside the alphabet, or a triplet
    /// above 65535); true for anything else.
    static func couldBeBase45Code(_ reading: String) -> Bool {
        guard reading.hasPrefix("VCH1:") || reading.hasPrefix("VCP1:") else { return true }
        let body = Array(reading.dropFirst(5))
        var index = 0
        while index + 3 <= body.count {
            guard let a = base45Values[body[index]], let b = base45Values[body[index + 1]],
                  let c = base45Values[body[index + 2]], a + 45 * b + 2025 * c <= 65535
            else { return false }
            index += 3
        }
        return true
    }

    /// Whether a Vouch reading's Base45 ends well: no lone character, a last pair at most 255.
    static func endsAsBase45(_ reading: String) -> Bool {
        guard reading.hasPrefix("VCH1:") || reading.hasPrefix("VCP1:") else { return true }
        let body = Array(reading.dropFirst(5))
        switch body.count % 3 {
        case 1: return false
        case 2:
            guard let a = base45Values[body[body.count - 2]], let b = base45Values[body[body.count - 1]] else { return false }
            return a + 45 * b <= 255
        default: return true
        }
    }
}
