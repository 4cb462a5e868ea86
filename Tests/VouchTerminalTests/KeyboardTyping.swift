/// A test model of a keyboard-wedge scanner set up as a US keyboard, typing
/// into a till with another layout: US key per character, then what that key
/// gives on the till's layout (dead keys included). Written from the layout
/// charts, separately from ``ScannerLayout``'s inverse tables.
enum KeyboardTyping {
    /// US layout: the key (KeyboardEvent.code) and Shift for a character.
    static func usKey(_ character: Character) -> (code: String, shift: Bool)? {
        let digits = "0123456789", shiftedDigits = ")!@#$%^&*("
        if digits.contains(character) { return ("Digit\(character)", false) }
        if let index = shiftedDigits.firstIndex(of: character) {
            return ("Digit\(digits[index])", true)
        }
        if character.isASCII, character.isLetter {
            return ("Key\(character.uppercased())", character.isUppercase)
        }
        let others: [Character: (String, Bool)] = [
            " ": ("Space", false), "-": ("Minus", false), "_": ("Minus", true), "=": ("Equal", false),
            "+": ("Equal", true), ";": ("Semicolon", false), ":": ("Semicolon", true), ".": ("Period", false),
            ">": ("Period", true), "/": ("Slash", false), "?": ("Slash", true), ",": ("Comma", false),
        ]
        return others[character].map { (code: $0.0, shift: $0.1) }
    }

    /// What a key gives on a layout: a character, or a dead accent (`dead: true`).
    struct Output { let text: Character; let dead: Bool }

    static func output(layout: String, code: String, shift: Bool) -> Output {
        func plain(_ c: Character) -> Output { Output(text: c, dead: false) }
        let usDigitsShifted = Array(")!@#$%^&*(")
        if code.hasPrefix("Digit"), let digit = Int(code.dropFirst(5)) {
            switch layout {
            case "de": return plain(shift ? Array("=!\"§$%&/()")[digit] : Character(String(digit)))
            case "ch": return plain(shift ? Array("=+\"*ç%&/()")[digit] : Character(String(digit)))
            case "fr": return plain(shift ? Character(String(digit)) : Array("à&é\"'(-è_ç")[digit])
            case "uk": return plain(shift ? Array(")!\"£$%^&*(")[digit] : Character(String(digit)))
            default: return plain(shift ? usDigitsShifted[digit] : Character(String(digit)))
            }
        }
        if code.hasPrefix("Key") {
            var letter = Character(String(code.dropFirst(3)))
            let swaps: [String: [Character: Character]] = [
                "de": ["Y": "Z", "Z": "Y"], "ch": ["Y": "Z", "Z": "Y"], "fr": ["A": "Q", "Q": "A", "W": "Z", "Z": "W"],
            ]
            if layout == "fr", letter == "M" { return plain(shift ? "?" : ",") }
            letter = swaps[layout]?[letter] ?? letter
            return plain(shift ? letter : Character(letter.lowercased()))
        }
        let tables: [String: [String: (Character, Character, deadNormal: Bool, deadShifted: Bool)]] = [
            "de": ["Minus": ("ß", "?", false, false), "Equal": ("´", "`", true, true), "Semicolon": ("ö", "Ö", false, false),
                   "Period": (".", ":", false, false), "Slash": ("-", "_", false, false), "Comma": (",", ";", false, false)],
            "ch": ["Minus": ("'", "?", false, false), "Equal": ("^", "`", true, true), "Semicolon": ("ö", "é", false, false),
                   "Period": (".", ":", false, false), "Slash": ("-", "_", false, false), "Comma": (",", ";", false, false)],
            "fr": ["Minus": (")", "°", false, false), "Equal": ("=", "+", false, false), "Semicolon": ("m", "M", false, false),
                   "Period": (":", "/", false, false), "Slash": ("!", "§", false, false), "Comma": (";", ".", false, false)],
        ]
        let us: [String: (Character, Character)] = [
            "Minus": ("-", "_"), "Equal": ("=", "+"), "Semicolon": (";", ":"), "Period": (".", ">"),
            "Slash": ("/", "?"), "Comma": (",", "<"), "Space": (" ", " "),
        ]
        if let entry = tables[layout]?[code] {
            return Output(text: shift ? entry.1 : entry.0, dead: shift ? entry.deadShifted : entry.deadNormal)
        }
        let entry = us[code] ?? (" ", " ")
        return plain(shift ? entry.1 : entry.0)
    }

    /// Accented letters a dead accent makes (Windows/X11 compose tables, the letters that matter).
    static let compose: [Character: [Character: Character]] = [
        "`": ["A": "À", "E": "È", "I": "Ì", "O": "Ò", "U": "Ù", "a": "à", "e": "è", "i": "ì", "o": "ò", "u": "ù"],
        "´": ["A": "Á", "E": "É", "I": "Í", "O": "Ó", "U": "Ú", "Y": "Ý", "a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú", "y": "ý"],
        "^": ["A": "Â", "E": "Ê", "I": "Î", "O": "Ô", "U": "Û", "a": "â", "e": "ê", "i": "î", "o": "ô", "u": "û"],
    ]

    /// The text a till with `layout` receives when the scanner types `text`.
    static func type(_ text: String, through layout: String) -> String {
        var received = ""
        var pending: Character?
        for character in text {
            guard let key = usKey(character) else { received.append(character); continue }
            let out = output(layout: layout, code: key.code, shift: key.shift)
            if let accent = pending {
                pending = nil
                if out.dead { received.append(accent); received.append(out.text); continue }
                if out.text == " " { received.append(accent); continue }
                if let composed = compose[accent]?[out.text] { received.append(composed); continue }
                received.append(accent)
                received.append(out.text)
                continue
            }
            if out.dead { pending = out.text } else { received.append(out.text) }
        }
        if let accent = pending { received.append(accent) }
        return received
    }
}
