/// Text from a file or a person on its way to a terminal. A log, a protocol,
/// a theme or a file name can hold any character at all; written raw, an ESC
/// or a C1 CSI would drive the terminal (clear the screen, move the cursor,
/// retitle the window, hide text), and a bidirectional override would make
/// text read differently from what was recorded. Every screen cell and every
/// byte a command prints passes through here, so none of them can.
///
/// Nothing is dropped: an auditor must still see that something was recorded.
/// C0 controls become the Control Pictures ("␛" for ESC), DEL becomes "␡",
/// and C1 controls, bidirectional controls, line separators and the
/// invisible (format and default-ignorable) characters become
/// "<U+009B>"-style marks; a byte of a file name that is not UTF-8 is
/// shown as "\xFF". In ASCII mode (a terminal whose locale is not
/// UTF-8, where the bytes of any multi-byte character could be read as C1
/// controls) C0 is shown in caret notation ("^[") and every other non-ASCII
/// character as its code point.
public enum VisibleText {
    public enum Mode: Sendable, Equatable {
        case unicode
        case ascii
    }

    /// One field on one line: every control character, line feeds included, made visible.
    public static func field(_ text: String, mode: Mode = .unicode) -> String {
        guard needsRewriting(text, keepingLineStructure: false, mode: mode) else { return text }
        return rewrite(text, keepingLineStructure: false, mode: mode)
    }

    /// Output with lines of its own (a report, a table): line feeds and tabs
    /// are kept, every other control character is made visible.
    public static func lines(_ text: String, mode: Mode = .unicode) -> String {
        guard needsRewriting(text, keepingLineStructure: true, mode: mode) else { return text }
        return rewrite(text, keepingLineStructure: true, mode: mode)
    }

    /// Whether `scalar` must never reach a terminal as it is.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F..<0xA0: return true
        // Arabic letter mark, left-to-right and right-to-left marks, embeddings,
        // overrides and isolates: they reorder what follows them.
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        // Line and paragraph separators: some terminals start a new line.
        case 0x2028, 0x2029: return true
        // A byte of a file name that is not UTF-8, as `PlatformPath` carries it.
        case 0x10FF80...0x10FFFF: return true
        default:
            // Format and other default-ignorable characters (zero-width space
            // and joiners, the word joiner, the byte-order mark, soft hyphen,
            // variation selectors, tags, the Hangul filler): drawn as nothing,
            // or as a blank some terminals give a column and others none.
            // Raw, "P-10<U+200B>01" would read as P-1001, and a row of a table
            // would shift by the columns the terminal did not draw.
            guard scalar.value >= 0xAD else { return false }
            return scalar.properties.isDefaultIgnorableCodePoint || scalar.properties.generalCategory == .format
        }
    }

    private static func needsRewriting(_ text: String, keepingLineStructure: Bool, mode: Mode) -> Bool {
        // Printable ASCII, nearly every cell of a table and field of a record, is its own
        // visible form in either mode: settled over its bytes, without decoding a scalar.
        if text.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy { (0x20...0x7E).contains($0) } }) == true { return false }
        for scalar in text.unicodeScalars {
            if keepingLineStructure, scalar == "\n" || scalar == "\t" { continue }
            if isUnsafe(scalar) || (mode == .ascii && scalar.value > 0x7E) { return true }
        }
        return false
    }

    private static func rewrite(_ text: String, keepingLineStructure: Bool, mode: Mode) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if keepingLineStructure, scalar == "\n" || scalar == "\t" {
                out.append(scalar)
                continue
            }
            let value = scalar.value
            switch (value, mode) {
            case (0x00..<0x20, .unicode):
                out.append(Unicode.Scalar(0x2400 + value)!)
            case (0x00..<0x20, .ascii):
                out.append("^")
                out.append(Unicode.Scalar(0x40 + value)!)
            case (0x7F, .unicode):
                out.append("\u{2421}")
            case (0x7F, .ascii):
                out.append(contentsOf: "^?".unicodeScalars)
            case (0x10FF80...0x10FFFF, _):
                out.append(contentsOf: "\\x\(String(value - 0x10FF00, radix: 16, uppercase: true))".unicodeScalars)
            default:
                if isUnsafe(scalar) || (mode == .ascii && value > 0x7E) {
                    out.append(contentsOf: codePoint(value).unicodeScalars)
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }

    /// "<U+009B>": four hex digits at least, as Unicode writes code points.
    private static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }
}
