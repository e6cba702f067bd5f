import TrilliumCore

/// How many terminal columns text takes (`DisplayWidth`, the one measure),
/// measured as it will be drawn: control characters take the width of their
/// visible symbols (`VisibleText`); and text cut and wrapped to columns.
public enum TerminalWidth {
    public static func of(_ character: Character) -> Int { DisplayWidth.of(character) }

    public static func of(_ scalar: Unicode.Scalar) -> Int { DisplayWidth.of(scalar) }

    public static func of(_ text: String) -> Int {
        if isPrintableASCII(text) { return text.utf8.count }
        return VisibleText.field(text).reduce(0) { $0 + of($1) }
    }

    /// Whether every character of `text` is printable ASCII, one column each
    /// and shown as itself: most of what a screen draws, measured without
    /// looking at a character's properties (a replay frame at 200x60 spent
    /// half its time asking whether letters were emoji).
    static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(isPrintableASCII) } ?? text.utf8.allSatisfy(isPrintableASCII)
    }

    /// A byte that is a printable ASCII character: one column, shown as itself.
    static func isPrintableASCII(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x7F
    }

    /// `text` cut to at most `width` columns, with "…" (or "~") when cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if isPrintableASCII(text) {
            guard text.utf8.count > width else { return text }
            let limit = max(0, width - of(ellipsis))
            return String(text.utf8.prefix(limit))! + ellipsis
        }
        let text = VisibleText.field(text)
        if of(text) <= width { return text }
        var result = ""
        var used = 0
        let limit = width - of(ellipsis)
        for character in text {
            let w = of(character)
            if used + w > limit { break }
            result.append(character)
            used += w
        }
        return result + ellipsis
    }

    /// `text` cut from the front to at most `width` columns: for a path, whose end names the file.
    public static func truncateLeading(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        let text = VisibleText.field(text)
        if of(text) <= width { return text }
        var kept: [Character] = []
        var used = of(ellipsis)
        for character in text.reversed() {
            let w = of(character)
            if used + w > width { break }
            kept.append(character)
            used += w
        }
        return ellipsis + String(kept.reversed())
    }

    /// Splits `text` into lines of at most `width` columns, at spaces where possible.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        if let lines = wrapPrintableASCII(text, width: width) { return lines }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // Each word is measured once and the line's width kept beside it:
            // a record's detail is wrapped on every frame of replay. A sum of
            // widths is never less than the width of the joined text, so no
            // line comes out wider than `width`.
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                let wordWidth = of(String(word))
                if line.isEmpty, wordWidth <= width {
                    line = String(word)
                    lineWidth = wordWidth
                } else if !line.isEmpty, lineWidth + 1 + wordWidth <= width {
                    line += " " + word
                    lineWidth += 1 + wordWidth
                } else {
                    if !line.isEmpty { lines.append(line) }
                    var rest = String(word)
                    while of(rest) > width {
                        let head = truncate(rest, to: width, ellipsis: "")
                        lines.append(head)
                        rest = String(rest.dropFirst(head.count))
                    }
                    line = rest
                    lineWidth = of(rest)
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// `wrap` for text that is all printable ASCII (one line, a column a
    /// byte), split at its spaces' bytes rather than into characters, which
    /// was most of the time of a replay frame's record detail; nil for any
    /// other text.
    private static func wrapPrintableASCII(_ text: String, width: Int) -> [String]? {
        guard isPrintableASCII(text) else { return nil }
        var lines: [String] = []
        var line = ""
        for word in text.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map(Substring.init) {
            if line.isEmpty, word.utf8.count <= width {
                line = String(word)
            } else if !line.isEmpty, line.utf8.count + 1 + word.utf8.count <= width {
                line += " "
                line += word
            } else {
                if !line.isEmpty { lines.append(line) }
                var rest = word
                while rest.utf8.count > width {
                    lines.append(String(rest.prefix(width)))
                    rest = rest.dropFirst(width)
                }
                line = String(rest)
            }
        }
        lines.append(line)
        return lines
    }
}
