import TrilliumCore

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
                case 0xFFFE, 0xFFFF: out += "\u{FFFD}"
                default:
                    // C1 controls, bidirectional and invisible characters, as every other output marks them:
                    // "<U+200B>", its brackets entities, so that no browser reads the mark as a tag and hides it.
                    guard VisibleText.isUnsafe(scalar) else {
                        out.unicodeScalars.append(scalar)
                        continue
                    }
                    for mark in VisibleText.field(String(scalar)).unicodeScalars {
                        switch mark {
                        case "<": out += "&lt;"
                        case ">": out += "&gt;"
                        default: out.unicodeScalars.append(mark)
                        }
                    }
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

/// RFC 4648 base64, for the photos a printed record carries inline.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let n = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out += [alphabet[Int(n >> 18)], alphabet[Int(n >> 12 & 63)], rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="), UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
