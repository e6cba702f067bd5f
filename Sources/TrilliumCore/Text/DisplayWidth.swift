/// How many columns of a terminal, or of a fixed-width text table, a
/// character takes: 2 for East Asian wide characters and emoji, 1 otherwise.
/// One measure for the screens and for every table a command prints, so a
/// column of Japanese operators' names lines up in `trillium sessions` as it
/// does on the start screen. A compact table of the ranges that matter.
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        return of(scalar)
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        // ASCII, and C0 and C1 controls (never drawn as themselves: VisibleText shows them), before any table.
        if v < 0xA0 { return 1 }
        if scalar.properties.isEmojiPresentation { return 2 }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// The columns of text already made visible (`VisibleText`): printable
    /// ASCII counted by its bytes, anything else character by character.
    public static func columns(ofVisible text: String) -> Int {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        return text.reduce(0) { $0 + of($1) }
    }
}
