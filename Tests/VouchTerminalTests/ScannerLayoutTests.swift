import Testing
import VouchCore
@testable import VouchTerminal

/// The inverse tables of ``ScannerLayout`` against a model of typing
/// through each layout (``KeyboardTyping``).
@Suite struct ScannerLayoutTests {
    static let base45 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")

    static func randomCode(length: Int, using generator: inout some RandomNumberGenerator) -> String {
        "VCH1:" + String((0..<length).map { _ in base45.randomElement(using: &generator)! })
    }

    @Test(arguments: ["de", "ch", "fr"])
    func everyBase45CharacterComesBack(layout id: String) throws {
        let layout = try #require(ScannerLayout.all.first { $0.id == id })
        let alphabet = String(Self.base45.filter { $0 != "+" && $0 != " " })
        let typed = KeyboardTyping.type("VCH1:" + alphabet, through: id)
        #expect(typed != "VCH1:" + alphabet, "the layout changes something")
        #expect(layout.candidates(for: typed).first == "VCH1:" + alphabet)
    }

    /// `+` before a vowel, a consonant, a digit, a space, another `+` and at the end.
    @Test(arguments: ["de", "ch"])
    func deadGravePlusInEveryPosition(layout id: String) throws {
        let layout = try #require(ScannerLayout.all.first { $0.id == id })
        for text in ["VCH1:+A+E+I+O+U", "VCH1:+B+1+Z", "VCH1:A+ B", "VCH1:++A", "VCH1:AB+", "VCH1:+ +  +"] {
            let typed = KeyboardTyping.type(text, through: id)
            #expect(layout.candidates(for: typed).contains(text), "\(text) typed as \(typed)")
        }
    }

    @Test(arguments: ["de", "ch", "fr"])
    func randomCodesComeBack(layout id: String) throws {
        let layout = try #require(ScannerLayout.all.first { $0.id == id })
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let code = Self.randomCode(length: Int.random(in: 1...80, using: &generator), using: &generator)
            let typed = KeyboardTyping.type(code, through: id)
            let graves = typed.filter { $0 == "`" }.count
            let candidates = layout.candidates(for: typed)
            #expect(candidates.count <= 1 << ScannerLayout.maximumAmbiguousGraves)
            if graves <= ScannerLayout.maximumAmbiguousGraves {
                #expect(candidates.contains(code), "\(code) typed as \(typed)")
            }
        }
    }

    /// A wallet presentation is about 800 Base45 characters with some twenty `+`: far past the full
    /// expansion, its real reading still comes back (readings that stop being Base45 are dropped).
    @Test(arguments: ["de", "ch"])
    func longRealBase45ComesBackThroughDeadKeys(layout id: String) throws {
        let layout = try #require(ScannerLayout.all.first { $0.id == id })
        var generator = SystemRandomNumberGenerator()
        var expanded = 0
        for _ in 0..<40 {
            let bytes = (0..<Int.random(in: 400...600, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let code = Base45.encode(bytes, prefix: "VCP1:")
            let typed = KeyboardTyping.type(code, through: id)
            let candidates = layout.candidates(for: typed)
            #expect(candidates.count <= ScannerLayout.maximumReadings)
            #expect(candidates.contains(code), "\(code) typed as \(typed)")
            if typed.filter({ $0 == "`" }).count > ScannerLayout.maximumAmbiguousGraves { expanded += 1 }
        }
        #expect(expanded > 20, "most of these texts have more ambiguous + than the full expansion takes")
    }

    @Test func germanSwapsYAndZAndMapsPunctuation() {
        #expect(KeyboardTyping.type("VCH1:YZ*-/:$%", through: "de") == "VCH1ÖZY(ß-Ö$%")
        #expect(ScannerLayout.german.remap("VCH1ÖZY(ß-Ö$%") == "VCH1:YZ*-/:$%")
    }

    @Test func frenchDigitsNeedShift() {
        #expect(KeyboardTyping.type("VCH1:0123456789", through: "fr") == "VCH&Mà&é\"'(-è_ç")
        #expect(ScannerLayout.french.remap("VCH&Mà&é\"'(-è_ç") == "VCH1:0123456789")
        #expect(ScannerLayout.french.remap("QZM") == "AW:")
    }

    @Test func swissDollarIsCCedilla() {
        #expect(KeyboardTyping.type("$:-", through: "ch") == "çé'")
        #expect(ScannerLayout.swissGerman.remap("çé'") == "$:-")
    }

    /// UK differs from US only outside Base45: a code arrives unchanged, so nothing is remapped.
    @Test func britishLeavesCodesAlone() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let code = Self.randomCode(length: 60, using: &generator)
            #expect(KeyboardTyping.type(code, through: "uk") == code)
            #expect(ScannerLayout.british.candidates(for: code).isEmpty)
        }
    }

    @Test func unchangedTextHasNoCandidates() {
        #expect(ScannerLayout.german.candidates(for: "VCH1:ABC").isEmpty)
        #expect(ScannerLayout.french.candidates(for: "BCD").isEmpty)
    }

    @Test func manyGravesAreNotExpanded() {
        let typed = String(repeating: "`B", count: 10)
        #expect(ScannerLayout.german.candidates(for: typed) == [String(repeating: "+B", count: 10)])
        #expect(ScannerLayout.german.candidates(for: "`B`B").count == 4)
    }
}
