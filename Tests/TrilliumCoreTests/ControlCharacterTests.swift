import Testing
@testable import TrilliumCore

/// Names, lots, reasons and goals are refused when they hold a control
/// character. The check compares code points rather than asking Unicode's
/// property tables for each scalar (it runs on every record folded), so it
/// is held to those tables over every scalar there is.
@Suite("Control characters")
struct ControlCharacterTests {
    @Test func theCheckIsUnicodesControlCategoryForEveryScalar() {
        var disagreements: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let isControl = scalar.properties.generalCategory == .control
            if ("a" + String(Character(scalar)) + "b").hasControlCharacter != isControl { disagreements.append(value) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
        #expect("P-1003".hasControlCharacter == false)
        #expect("lot\u{85}".hasControlCharacter)
    }
}

/// What a terminal would draw as nothing, or as a blank of a width it
/// chooses, is shown as its code point: two references that differ by a
/// zero-width space must not look the same, and a table must not shift.
@Suite("Invisible characters made visible")
struct InvisibleCharacterTests {
    @Test func everyFormatAndDefaultIgnorableScalarIsShownAsItsCodePoint() {
        var shownRaw: [UInt32] = []
        for value in UInt32(0xA0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value), !(0x10FF80...0x10FFFF).contains(value) else { continue }
            // The line and paragraph separators are visible on their own terms: they may start a line.
            let invisible = scalar.properties.isDefaultIgnorableCodePoint || scalar.properties.generalCategory == .format
                || value == 0x2028 || value == 0x2029
            let shown = VisibleText.field("a" + String(scalar) + "b")
            let hex = String(value, radix: 16, uppercase: true)
            let mark = "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
            if invisible != (shown == "a" + mark + "b") { shownRaw.append(value) }
        }
        #expect(shownRaw.isEmpty, "\(shownRaw.prefix(10).map { String($0, radix: 16) })")
    }

    @Test func lookalikesAndJoinedEmojiComeApart() {
        #expect(VisibleText.field("P-10\u{200B}01") == "P-10<U+200B>01")
        #expect(VisibleText.field("\u{FEFF}Lot 7") == "<U+FEFF>Lot 7")
        #expect(VisibleText.field("A\u{00AD}B") == "A<U+00AD>B")
        // A family emoji: each person kept, the joiners between them shown.
        #expect(VisibleText.field("👨\u{200D}👩\u{200D}👧") == "👨<U+200D>👩<U+200D>👧")
        // What is visible stays as it is: accents, CJK, emoji without a joiner.
        for text in ["Müller", "e\u{301}", "山田", "🙂"] { #expect(VisibleText.field(text) == text) }
    }
}
