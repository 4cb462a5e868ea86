import Testing
import VouchQR

@Suite struct QRCodeTests {
    /// libqrencode picks alphanumeric mode for Base45 by itself: 250 characters
    /// fit version 9 at ECC M (8-bit mode would need version 11).
    @Test func base45UsesAlphanumericMode() throws {
        let code = try QRCode(text: TestTexts.vouch(count: 250))
        #expect(code.version == 9)
        #expect(code.version <= 10)
        #expect(code.size == 53)
        #expect(code.errorCorrection == .medium)
        #expect(try QRCode(text: TestTexts.vouch(count: 280)).version == 10)
    }

    @Test func sizeFollowsVersion() throws {
        for text in ["A", "hello", TestTexts.vouch(count: 100), TestTexts.vouch(count: 1500)] {
            let code = try QRCode(text: text)
            #expect((1...40).contains(code.version))
            #expect(code.size == 17 + 4 * code.version)
        }
        #expect(try QRCode(text: "A").version == 1)
    }

    @Test func higherErrorCorrectionNeedsLargerSymbols() throws {
        let text = TestTexts.vouch(count: 280)
        let versions = try QRErrorCorrection.allCases.map { try QRCode(text: text, errorCorrection: $0).version }
        #expect(versions == versions.sorted())
        #expect(versions.first! < versions.last!)
    }

    /// The three finder patterns (7 x 7: dark ring, light ring, dark 3 x 3 centre),
    /// their light separators and the timing patterns are where ISO/IEC 18004 puts them.
    @Test(arguments: [(20, 1), (178, 7), (TestTexts.version40MediumAlphanumericCapacity, 40)])
    func functionPatternsAreInPlace(characters: Int, version: Int) throws {
        let code = try QRCode(text: TestTexts.vouch(count: characters))
        #expect(code.version == version)
        let n = code.size
        for (ox, oy) in [(0, 0), (n - 7, 0), (0, n - 7)] {
            for dy in 0..<7 {
                for dx in 0..<7 {
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    #expect(code.isDark(x: ox + dx, y: oy + dy) == (ring != 2), "finder at (\(ox), \(oy))")
                }
            }
        }
        for i in 0..<8 {
            #expect(!code.isDark(x: 7, y: i) && !code.isDark(x: i, y: 7))
            #expect(!code.isDark(x: n - 8, y: i) && !code.isDark(x: n - 1 - i, y: 7))
            #expect(!code.isDark(x: 7, y: n - 1 - i) && !code.isDark(x: i, y: n - 8))
        }
        for i in 8..<(n - 8) {
            #expect(code.isDark(x: i, y: 6) == i.isMultiple(of: 2))
            #expect(code.isDark(x: 6, y: i) == i.isMultiple(of: 2))
        }
        // The dark module beside the lower left finder.
        #expect(code.isDark(x: 8, y: n - 8))
    }

    @Test func encodingIsDeterministic() throws {
        let text = TestTexts.vouch(count: 280)
        #expect(try QRCode(text: text) == QRCode(text: text))
        #expect(try QRCode(text: text) != QRCode(text: text, errorCorrection: .high))
    }

    /// The longest Base45 text a version 40 symbol holds at ECC M is accepted;
    /// one more character is refused as too long, and so is the 4096-character
    /// limit of the format, which only fits at ECC L.
    @Test func longestTextAtMedium() throws {
        let capacity = TestTexts.version40MediumAlphanumericCapacity
        let longest = try QRCode(text: TestTexts.vouch(count: capacity))
        #expect(longest.version == 40)
        #expect(longest.size == 177)
        expectQRError(.textTooLong) { try QRCode(text: TestTexts.vouch(count: capacity + 1)) }
        expectQRError(.textTooLong) { try QRCode(text: TestTexts.vouch(count: 4096)) }
        #expect(try QRCode(text: TestTexts.vouch(count: 4096), errorCorrection: .low).version == 40)
        expectQRError(.textTooLong) {
            try QRCode(text: TestTexts.vouch(count: TestTexts.version40LowAlphanumericCapacity + 1), errorCorrection: .low)
        }
    }

    @Test func byteModeTextTooLong() {
        // Lowercase is not alphanumeric: 8-bit mode holds 2331 bytes at version 40-M.
        expectQRError(.textTooLong) { try QRCode(text: String(repeating: "vouch", count: 467)) }
        expectQRError(.textTooLong) { try QRCode(text: String(repeating: "ü", count: 1200), errorCorrection: .high) }
    }

    @Test func emptyText() {
        expectQRError(.emptyText) { try QRCode(text: "") }
    }

    @Test func nulCharacterIsRejected() {
        expectQRError(.invalidText) { try QRCode(text: "VCH1:AB\u{0}CD") }
        expectQRError(.invalidText) { try QRCode(text: "\u{0}") }
    }

    @Test func errorsCompareByCodeAndDescribeThemselves() throws {
        let empty = try #require(qrError { try QRCode(text: "") })
        let empty2 = try #require(qrError { try QRCode(text: "") })
        let tooLong = try #require(qrError { try QRCode(text: TestTexts.vouch(count: 5000)) })
        #expect(empty == empty2)
        #expect(empty != tooLong)
        #expect(Set([empty, empty2, tooLong]).count == 2)
        #expect(tooLong.description.hasPrefix("QRError.textTooLong: "))
        #expect(tooLong.reason.contains("5000 bytes"))
        #expect(empty.file.hasSuffix("QRCode.swift"))
    }
}

/// Expects `body` to throw a ``QRError`` with `code`.
func expectQRError<R>(
    _ code: QRError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> R
) {
    let error = #expect(throws: QRError.self, sourceLocation: sourceLocation) { _ = try body() }
    #expect(error?.code == code, "\(String(describing: error))", sourceLocation: sourceLocation)
}

/// The ``QRError`` that `body` throws, if any.
func qrError<R>(_ body: () throws -> R) -> QRError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? QRError
    }
}
