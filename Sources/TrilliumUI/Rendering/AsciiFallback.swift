/// What a terminal whose locale is not UTF-8 is shown for a character it
/// cannot draw: the nearest ASCII, so that "·" reads as a separator and "↗"
/// as a direction instead of a row of "?". Anything without a near form is
/// "?", and a wide character fills both its cells, leaving nothing stale.
public enum AsciiFallback {
    public static func text(for character: Character) -> String {
        if character.isASCII { return String(character) }
        if let near = nearest[character] { return near }
        // The symbol of a control character (␉ for a tab) becomes its caret form (^I), as
        // every C0 control has one: a plain "?" hid which control the record holds.
        if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
           (0x2400...0x241F).contains(scalar.value), let caret = Unicode.Scalar(scalar.value - 0x2400 + 0x40) {
            return "^" + String(Character(caret))
        }
        return TerminalWidth.of(character) == 2 ? "??" : "?"
    }

    private static let nearest: [Character: String] = [
        "·": ".", "•": "o", "…": "~", "–": "-", "—": "-", "−": "-", "±": "+/-", "×": "x", "°": "o",
        "→": ">", "←": "<", "↑": "^", "↓": "v", "↔": "-", "↕": "|", "↗": "/", "↘": "\\", "↙": "/", "↖": "\\",
        "▶": ">", "◀": "<", "▲": "^", "▼": "v", "✓": "+", "✗": "!", "█": "#", "░": ".", "▒": ":", "▓": "#",
        "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+",
        "“": "\"", "”": "\"", "‘": "'", "’": "'", "é": "e", "è": "e", "ü": "u", "ö": "o", "ä": "a",
        "␡": "^?",
    ]
}
