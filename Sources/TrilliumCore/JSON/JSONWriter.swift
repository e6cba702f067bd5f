/// Serialises a `JSONValue` to compact UTF-8 with no line feed in it: control
/// characters (and so every LF) are escaped, which keeps one record per line.
public enum JSONWriter {
    /// Which characters are written as `\\u` escapes.
    public enum Escaping: Sendable {
        /// The log's canonical form: C0 controls and DEL only. Fixed for ever:
        /// changing it would change every record's bytes and digest.
        case canonical
        /// Also every character `VisibleText` would not let reach a terminal
        /// raw (C1 controls, bidirectional controls): for JSON that people
        /// may read on a terminal, such as `report --format json`.
        case terminalSafe
    }

    public static func bytes(_ value: JSONValue, escaping: Escaping = .canonical) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out, escaping: escaping)
        return out
    }

    public static func string(_ value: JSONValue, escaping: Escaping = .canonical) -> String {
        String(decoding: bytes(value, escaping: escaping), as: UTF8.self)
    }

    public static func write(_ value: JSONValue, into out: inout [UInt8], escaping: Escaping = .canonical) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case let .integer(i): out.append(contentsOf: String(i).utf8)
        case let .string(s): writeString(s, into: &out, escaping: escaping)
        case let .array(items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out, escaping: escaping)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(member.0, into: &out, escaping: escaping)
                out.append(UInt8(ascii: ":"))
                write(member.1, into: &out, escaping: escaping)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ s: String, into out: inout [UInt8], escaping: Escaping) {
        if escaping == .terminalSafe, s.unicodeScalars.contains(where: { $0.value >= 0x80 && VisibleText.isUnsafe($0) }) {
            writeTerminalSafeString(s, into: &out)
            return
        }
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: copied whole, as the verifier re-encodes every record.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: s.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x00..<0x20, 0x7F:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func writeTerminalSafeString(_ s: String, into out: inout [UInt8]) {
        var plain = ""
        func flush() {
            guard !plain.isEmpty else { return }
            var piece = bytes(.string(plain))
            piece.removeFirst()
            piece.removeLast()
            out.append(contentsOf: piece)
            plain = ""
        }
        out.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            guard scalar.value >= 0x80, VisibleText.isUnsafe(scalar) else {
                plain.unicodeScalars.append(scalar)
                continue
            }
            flush()
            for unit in String(scalar).utf16 {
                out.append(contentsOf: "\\u".utf8)
                for shift in stride(from: 12, through: 0, by: -4) { out.append(hexDigits[Int(unit >> UInt16(shift)) & 0xF]) }
            }
        }
        flush()
        out.append(UInt8(ascii: "\""))
    }
}
