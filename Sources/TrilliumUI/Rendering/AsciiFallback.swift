/// What a terminal whose locale is not UTF-8 is shown for a character it
/// cannot draw: the nearest ASCII, so that "·" reads as a separator and "↗"
/// as a direction instead of a row of "?". Anything without a near form is
/// "?", and a wide character fills both its cells, leaving nothing stale.
public enum AsciiFallback {
    public static func text(for character: Character) -> String {
        if character.isASCII { return String(character) }
        if let near = nearest[character] { return near }
        return TerminalWidth.of(character) == 2 ? "??" : "?"
    }

    private static let nearest: [Character: String] = [
        "·": ".", "•": "o", "…": "~", "–": "-", "—": "-", "−": "-", "±": "+/-", "×": "x", "°": "o",
        "→": ">", "←": "<", "↑": "^", "↓": "v", "↔": "-", "↕": "|", "↗": "/", "↘": "\\", "↙": "/", "↖": "\\",
        "▶": ">", "◀": "<", "▲": "^", "▼": "v", "✓": "+", "✗": "!", "█": "#", "░": ".", "▒": ":", "▓": "#",
        "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+",
        "“": "\"", "”": "\"", "‘": "'", "’": "'", "é": "e", "è": "e", "ü": "u", "ö": "o", "ä": "a",
        "␛": "^[", "␊": "^J", "␡": "^?",
    ]
}
