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
    /// Every received `` ` `` is `+` or `+ ` (the dead key swallowed a space);
    /// with more than ``maximumAmbiguousGraves`` of them only `+` is tried.
    public func candidates(for text: String) -> [String] {
        var pieces: [[String]] = [[""]]
        var changed = false
        let graves = deadGravePlus ? text.reduce(0) { $1 == "`" ? $0 + 1 : $0 } : 0
        let expandGraves = graves <= Self.maximumAmbiguousGraves
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
        return pieces.reduce([""]) { partial, options in
            partial.flatMap { prefix in options.map { prefix + $0 } }
        }
    }
}
