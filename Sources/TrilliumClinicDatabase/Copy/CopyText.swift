/// Rows in the text format of `COPY … FROM STDIN`: columns separated by a
/// tab, rows ended by a newline, and in each value a backslash, tab, newline
/// or carriage return escaped; a bytea goes as `\x` and hex (its backslash doubled).
struct CopyText {
    private(set) var bytes: [UInt8] = []
    private var columnsInRow = 0

    mutating func text(_ value: String) {
        separate()
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: bytes.append(byte)
            }
        }
    }

    mutating func integer(_ value: Int) {
        separate()
        bytes += String(value).utf8
    }

    mutating func binary(_ value: [UInt8]) {
        separate()
        bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\"), UInt8(ascii: "x")]
        let digits = Array("0123456789abcdef".utf8)
        bytes.reserveCapacity(bytes.count + value.count * 2 + 1)
        for byte in value {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
    }

    mutating func endRow() {
        bytes.append(0x0A)
        columnsInRow = 0
    }

    private mutating func separate() {
        if columnsInRow > 0 { bytes.append(0x09) }
        columnsInRow += 1
    }
}
