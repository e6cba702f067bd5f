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
}
