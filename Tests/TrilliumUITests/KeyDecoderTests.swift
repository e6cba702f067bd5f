import Testing
import TrilliumUI

/// Escape sequences are keys or nothing, never their characters run as commands (issue 9, defect 7).
@Suite("Decoding what the keyboard sends")
struct KeyDecoderTests {
    static func inputs(_ text: String) -> [KeyInput] {
        text.unicodeScalars.map { .character($0.value) }
    }

    @Test func escAloneIsEscAndAltIsNeverThePlainKey() {
        #expect(KeyDecoder.decode(Self.inputs("\u{1B}")) == [.escape])
        // Alt-s once opened "skip zone" after an Esc that discarded a typed note.
        #expect(KeyDecoder.decode(Self.inputs("\u{1B}s")) == [.alt("s")])
        #expect(KeyDecoder.decode(Self.inputs("\u{1B}\u{1B}")) == [.escape, .escape])
        #expect(KeyDecoder.decode([.character(0x1B), .key(.up)]) == [.unrecognized])
    }

    @Test func navigationKeysArrivingRawAreThoseKeys() {
        let expected: [(String, Key)] = [
            ("\u{1B}[A", .up), ("\u{1B}[B", .down), ("\u{1B}[C", .right), ("\u{1B}[D", .left),
            ("\u{1B}OA", .up), ("\u{1B}OD", .left), ("\u{1B}[H", .home), ("\u{1B}OF", .end),
            ("\u{1B}[1~", .home), ("\u{1B}[7~", .home), ("\u{1B}[4~", .end), ("\u{1B}[8~", .end),
            ("\u{1B}[5~", .pageUp), ("\u{1B}[6~", .pageDown), ("\u{1B}[3~", .delete),
        ]
        for (sequence, key) in expected {
            #expect(KeyDecoder.decode(Self.inputs(sequence + "x")) == [key, .character("x")], "\(sequence.debugDescription)")
        }
        // With a modifier (Shift-Up, Ctrl-End) they are not the plain keys.
        #expect(KeyDecoder.decode(Self.inputs("\u{1B}[1;2A")) == [.unrecognized])
        #expect(KeyDecoder.decode(Self.inputs("\u{1B}[4;5~")) == [.unrecognized])
    }

    @Test func unknownSequencesAreSwallowedWhole() {
        // F5, Shift-F1, a bracketed paste start, a focus report, an OSC reply, an 8-bit CSI.
        for sequence in ["\u{1B}[15~", "\u{1B}[1;2P", "\u{1B}[200~", "\u{1B}[I", "\u{1B}OP",
                         "\u{1B}]11;rgb:0000/0000/0000\u{07}", "\u{1B}]0;x\u{1B}\\", "\u{9B}2J"] {
            #expect(KeyDecoder.decode(Self.inputs(sequence)) == [.unrecognized], "\(sequence.debugDescription)")
            // What follows in the same burst is decoded as typed.
            #expect(KeyDecoder.decode(Self.inputs(sequence + "ab")) == [.unrecognized, .character("a"), .character("b")])
        }
        // A sequence cut short at the end of a burst is still not typed text.
        #expect(KeyDecoder.decode(Self.inputs("\u{1B}[1;")) == [.unrecognized])
    }

    @Test func plainCharactersAndControls() {
        #expect(KeyDecoder.decode(Self.inputs("a\r\t\u{7F}\u{03}")) == [.character("a"), .enter, .tab, .backspace, .control("c")])
        // C1 controls and bidirectional overrides never become typed characters.
        #expect(KeyDecoder.decode([.character(0x85), .character(0x202E), .character(0x00)]) == [])
        #expect(KeyDecoder.decode([.key(.pageDown), .character(0x1F600)]) == [.pageDown, .character("😀")])
    }
}
