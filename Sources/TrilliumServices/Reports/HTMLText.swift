/// Text made safe for HTML and SVG that must also parse as XML: markup
/// characters become entities, and control characters (which XML forbids
/// and which could carry terminal escape sequences) become visible symbols,
/// so an auditor still sees that they were recorded.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case "\r": out += "\u{240D}"
            default:
                switch scalar.value {
                case 0x00..<0x20:
                    // The Control Pictures block: U+241B "␛" for ESC, and so on.
                    out.unicodeScalars.append(Unicode.Scalar(0x2400 + scalar.value)!)
                case 0x7F: out += "\u{2421}"
                case 0x80..<0xA0, 0xFFFE, 0xFFFF: out += "\u{FFFD}"
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Escaped, with every SHA-256 digest (64 hex digits) in a span that
    /// never breaks: a digest is noted and compared whole, on one line.
    public static func escapeKeepingDigestsWhole(_ text: String) -> String {
        let escaped = Array(escape(text).unicodeScalars)
        func isHex(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) || ("a"..."f").contains(scalar) }
        var out = String.UnicodeScalarView()
        var index = 0
        while index < escaped.count {
            var end = index
            while end < escaped.count, isHex(escaped[end]) { end += 1 }
            if end - index == 64 {
                out.append(contentsOf: "<span class=\"digest\">".unicodeScalars)
                out.append(contentsOf: escaped[index..<end])
                out.append(contentsOf: "</span>".unicodeScalars)
                index = end
            } else if end > index {
                out.append(contentsOf: escaped[index..<end])
                index = end
            } else {
                out.append(escaped[index])
                index += 1
            }
        }
        return String(out)
    }
}
