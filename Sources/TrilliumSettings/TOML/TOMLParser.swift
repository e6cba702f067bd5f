/// Why a TOML text was refused, and on which line.
public struct TOMLSyntaxError: Error, Sendable, Equatable {
    public var line: Int
    public var message: String
}

/// A strict TOML 1.0 parser for Trillium's protocol and theme files, written
/// here rather than borrowed: the C++ parser behind TOMLKit asserted (and in
/// a release build assumed) on crafted headers such as `[\u001B]`, and a
/// file from anywhere must never crash the program that reads it.
///
/// Everything TOML 1.0 allows is read except dates and times, which
/// Trillium's files never hold. Every key's line is kept, under the path
/// `TOMLFields` names it by ("zone[2].min_depth_mm"), so every message can
/// point at its line. Nesting is bounded, numbers are checked for range, and
/// each byte is looked at a bounded number of times.
struct TOMLParser {
    static let maximumNesting = 32

    private let bytes: [UInt8]
    private var position = 0
    private var line = 1
    private var nesting = 0
    private let root = TOMLTable(origin: .header)
    private var current: TOMLTable
    private var currentPath = ""
    /// "table[index].key" paths to the line each was written on.
    private(set) var lines: [String: Int] = [:]

    init(_ text: String) {
        bytes = Array(text.utf8)
        current = root
    }

    static func parse(_ text: String) throws(TOMLSyntaxError) -> (TOMLTable, [String: Int]) {
        var parser = TOMLParser(text)
        try parser.parseDocument()
        return (parser.root, parser.lines)
    }

    // MARK: The document

    private mutating func parseDocument() throws(TOMLSyntaxError) {
        while true {
            skipBlankSpace()
            guard let byte = peek() else { return }
            switch byte {
            case UInt8(ascii: "#"): try checkedComment()
            case 0x0A: advanceLine()
            case 0x0D: try expectNewline()
            case UInt8(ascii: "["):
                try parseHeader()
                try endOfLine()
            default:
                try parseKeyValue(into: current, path: currentPath, dottedOrigin: .dotted)
                try endOfLine()
            }
        }
    }

    /// `[a.b]` or `[[a.b]]`: where the following keys go.
    private mutating func parseHeader() throws(TOMLSyntaxError) {
        position += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { position += 1 }
        skipBlankSpace()
        let keys = try parseKeyPath()
        skipBlankSpace()
        try expect("]", "a table header ends with ]")
        if isArray { try expect("]", "an array-of-tables header ends with ]]") }

        var table = root
        var path = ""
        for (index, key) in keys.enumerated() {
            let isLast = index == keys.count - 1
            path = path.isEmpty ? key : path + "." + key
            if isLast && isArray {
                let element = TOMLTable(origin: .header)
                // Only asked whether the key is there: holding its value would
                // keep a second reference to the array and copy it on append.
                if table[key] != nil {
                    guard table.arraysOfTables.contains(key) else {
                        throw failure("\(path) is already defined and is not an array of tables")
                    }
                    path += "[\(table.append(element, toArrayAt: key))]"
                } else {
                    table.set(key, .array([.table(element)]))
                    table.arraysOfTables.insert(key)
                    path += "[0]"
                }
                table = element
            } else if let existing = table[key] {
                switch existing {
                case let .table(next):
                    if isLast {
                        guard next.origin == .implicit else { throw failure("table [\(path)] is defined twice") }
                        next.origin = .header
                    } else if next.origin == .inline {
                        throw failure("\(path) is an inline table and cannot be extended")
                    }
                    table = next
                case let .array(items) where table.arraysOfTables.contains(key):
                    guard case let .table(last)? = items.last else { throw failure("\(path) is not a table") }
                    path += "[\(items.count - 1)]"
                    table = last
                default:
                    throw failure("\(path) is already defined as a value")
                }
            } else {
                let next = TOMLTable(origin: isLast ? .header : .implicit)
                table.set(key, .table(next))
                table = next
            }
        }
        if lines[path] == nil { lines[path] = line }
        let name = keys.joined(separator: ".")
        if lines[name] == nil { lines[name] = line }
        current = table
        currentPath = path
    }

    /// `key = value`, the key possibly dotted; `table` receives it.
    private mutating func parseKeyValue(into table: TOMLTable, path: String, dottedOrigin: TOMLTable.Origin) throws(TOMLSyntaxError) {
        let keys = try parseKeyPath()
        var target = table
        var targetPath = path
        for key in keys.dropLast() {
            targetPath = targetPath.isEmpty ? key : targetPath + "." + key
            if let existing = target[key] {
                guard case let .table(next) = existing, next.origin == dottedOrigin || next.origin == .implicit else {
                    throw failure("\(targetPath) is already defined and cannot take dotted keys")
                }
                target = next
            } else {
                let next = TOMLTable(origin: dottedOrigin)
                target.set(key, .table(next))
                target = next
            }
        }
        let key = keys[keys.count - 1]
        let keyPath = targetPath.isEmpty ? key : targetPath + "." + key
        guard target[key] == nil else { throw failure("\(keyPath) is defined twice") }
        skipBlankSpace()
        try expect("=", "a key is followed by =")
        skipBlankSpace()
        let keyLine = line
        let value = try parseValue(path: keyPath)
        target.set(key, value)
        if lines[keyPath] == nil { lines[keyPath] = keyLine }
    }

    /// A dotted key is a table inside a table for each dot: held to the
    /// same depth as arrays and tables written out (forty thousand dots in
    /// an 80 KB file made tables so deep that freeing them overflowed the stack).
    private mutating func parseKeyPath() throws(TOMLSyntaxError) -> [String] {
        var keys = [try parseSimpleKey()]
        while true {
            skipBlankSpace()
            guard peek() == UInt8(ascii: ".") else { return keys }
            guard keys.count < Self.maximumNesting else { throw failure("a dotted key has more than \(Self.maximumNesting) parts") }
            position += 1
            skipBlankSpace()
            keys.append(try parseSimpleKey())
        }
    }

    private mutating func parseSimpleKey() throws(TOMLSyntaxError) -> String {
        guard let byte = peek() else { throw failure("a key was expected") }
        switch byte {
        case UInt8(ascii: "\""):
            guard !starts(with: "\"\"\"") else { throw failure("a key cannot be a multi-line string") }
            return try parseBasicString()
        case UInt8(ascii: "'"):
            guard !starts(with: "'''") else { throw failure("a key cannot be a multi-line string") }
            return try parseLiteralString()
        default:
            let start = position
            while let next = peek(), Self.isBareKeyByte(next) { position += 1 }
            guard position > start else { throw failure("a key was expected (letters, digits, _ and -, or a quoted key)") }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }
    }

    // MARK: Values

    private mutating func parseValue(path: String) throws(TOMLSyntaxError) -> TOMLValue {
        guard let byte = peek() else { throw failure("a value was expected") }
        switch byte {
        case UInt8(ascii: "\""):
            return .string(starts(with: "\"\"\"") ? try parseMultilineBasicString() : try parseBasicString())
        case UInt8(ascii: "'"):
            return .string(starts(with: "'''") ? try parseMultilineLiteralString() : try parseLiteralString())
        case UInt8(ascii: "t"):
            try expectWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return .bool(false)
        case UInt8(ascii: "["):
            return try parseArray(path: path)
        case UInt8(ascii: "{"):
            return try parseInlineTable(path: path)
        default:
            return try parseNumber()
        }
    }

    private mutating func parseArray(path: String) throws(TOMLSyntaxError) -> TOMLValue {
        try enter()
        defer { nesting -= 1 }
        position += 1
        var items: [TOMLValue] = []
        while true {
            try skipArraySpace()
            guard let byte = peek() else { throw failure("an array is not closed with ]") }
            if byte == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            items.append(try parseValue(path: path))
            try skipArraySpace()
            guard let next = peek() else { throw failure("an array is not closed with ]") }
            if next == UInt8(ascii: ",") {
                position += 1
            } else if next != UInt8(ascii: "]") {
                throw failure("array values are separated by commas")
            }
        }
    }

    private mutating func parseInlineTable(path: String) throws(TOMLSyntaxError) -> TOMLValue {
        try enter()
        defer { nesting -= 1 }
        position += 1
        let table = TOMLTable(origin: .inline)
        skipBlankSpace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return .table(table)
        }
        while true {
            skipBlankSpace()
            try parseKeyValue(into: table, path: path, dottedOrigin: .inline)
            skipBlankSpace()
            guard let next = peek() else { throw failure("an inline table is not closed with }") }
            position += 1
            if next == UInt8(ascii: "}") { return .table(table) }
            guard next == UInt8(ascii: ",") else { throw failure("inline table entries are separated by commas, on one line") }
        }
    }

    private mutating func parseNumber() throws(TOMLSyntaxError) -> TOMLValue {
        let start = position
        while let byte = peek(), Self.isNumberByte(byte) { position += 1 }
        let token = String(decoding: bytes[start..<position], as: UTF8.self)
        guard !token.isEmpty else { throw failure("a value was expected (a string, number, true, false, array or table)") }
        if token.contains(":") || (token.count >= 10 && token.dropFirst(4).first == "-" && token.first?.isNumber == true) {
            throw failure("dates and times are not used in Trillium's files")
        }
        switch token {
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if token.hasPrefix("0x") || token.hasPrefix("0o") || token.hasPrefix("0b") {
            let radix = token.hasPrefix("0x") ? 16 : token.hasPrefix("0o") ? 8 : 2
            let digits = try Self.digitsWithUnderscores(token.dropFirst(2), line: line, allowingHex: radix == 16)
            guard let value = Int(digits, radix: radix) else { throw failure("\(token) is not a whole number Trillium can hold") }
            return .integer(value)
        }
        let isFloat = token.contains(".") || token.contains("e") || token.contains("E")
        let unsigned = token.first == "+" || token.first == "-" ? token.dropFirst() : Substring(token)
        if !isFloat {
            let digits = try Self.digitsWithUnderscores(unsigned, line: line)
            guard digits.count == 1 || digits.first != "0" else { throw failure("\(token): leading zeros are not allowed") }
            guard let value = Int((token.first == "-" ? "-" : "") + digits) else {
                throw failure("\(token) is out of range for a whole number")
            }
            return .integer(value)
        }
        // A float: whole part, then a fraction, an exponent or both, each with digits.
        var mantissa = unsigned
        var exponent: Substring?
        if let e = unsigned.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = unsigned[..<e]
            exponent = unsigned[unsigned.index(after: e)...]
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw failure("\(token) is not a number") }
        let whole = try Self.digitsWithUnderscores(parts[0], line: line)
        guard whole.count == 1 || whole.first != "0" else { throw failure("\(token): leading zeros are not allowed") }
        var text = whole
        if parts.count == 2 { text += "." + (try Self.digitsWithUnderscores(parts[1], line: line)) }
        if let exponent {
            let sign = exponent.first == "+" || exponent.first == "-" ? String(exponent.first!) : ""
            text += "e" + sign + (try Self.digitsWithUnderscores(sign.isEmpty ? exponent : exponent.dropFirst(), line: line))
        }
        guard let value = Double((token.first == "-" ? "-" : "") + text) else { throw failure("\(token) is not a number") }
        return .float(value)
    }

    /// Digits with single underscores only between digits, underscores removed.
    private static func digitsWithUnderscores(_ text: Substring, line: Int, allowingHex: Bool = false) throws(TOMLSyntaxError) -> String {
        var digits = ""
        var previousWasDigit = false
        for character in text {
            if character == "_" {
                guard previousWasDigit else { throw TOMLSyntaxError(line: line, message: "\(text): an underscore must stand between digits") }
                previousWasDigit = false
            } else if character.isASCII, allowingHex ? character.isHexDigit : character.isNumber {
                digits.append(character)
                previousWasDigit = true
            } else {
                throw TOMLSyntaxError(line: line, message: "\(text) is not a number")
            }
        }
        guard previousWasDigit else { throw TOMLSyntaxError(line: line, message: "\(text.isEmpty ? "a number" : String(text)) needs digits") }
        return digits
    }

    // MARK: Strings

    private mutating func parseBasicString() throws(TOMLSyntaxError) -> String {
        position += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw failure("a string is not closed with \"") }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0x0A, 0x0D:
                throw failure("a string is not closed with \" on its line")
            default:
                try requireAllowedInString(byte)
                out.append(byte)
                position += 1
            }
        }
    }

    private mutating func parseMultilineBasicString() throws(TOMLSyntaxError) -> String {
        try parseMultilineString(quote: UInt8(ascii: "\""), escapes: true)
    }

    private mutating func parseMultilineLiteralString() throws(TOMLSyntaxError) -> String {
        try parseMultilineString(quote: UInt8(ascii: "'"), escapes: false)
    }

    /// `"""…"""` (with escapes and line-ending backslashes) or `'''…'''` (literal).
    private mutating func parseMultilineString(quote: UInt8, escapes: Bool) throws(TOMLSyntaxError) -> String {
        position += 3
        try skipNewlineAfterOpeningDelimiter()
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else {
                let delimiter = String(repeating: Character(Unicode.Scalar(quote)), count: 3)
                throw failure("a multi-line string is not closed with \(delimiter)")
            }
            if byte == quote, position + 2 < bytes.count, bytes[position + 1] == quote, bytes[position + 2] == quote {
                // Up to two quotes may end the content right before the closing three.
                var quotes = 3
                while quotes < 5, position + quotes < bytes.count, bytes[position + quotes] == quote { quotes += 1 }
                out += [UInt8](repeating: quote, count: quotes - 3)
                position += quotes
                return String(decoding: out, as: UTF8.self)
            }
            switch byte {
            case UInt8(ascii: "\\") where escapes:
                if try skipLineEndingBackslash() { continue }
                try parseEscape(into: &out)
            case 0x0A:
                out.append(byte)
                advanceLine()
            case 0x0D:
                try expectNewline()
                out.append(0x0A)
            default:
                try requireAllowedInString(byte)
                out.append(byte)
                position += 1
            }
        }
    }

    private mutating func parseLiteralString() throws(TOMLSyntaxError) -> String {
        position += 1
        let start = position
        while true {
            guard let byte = peek() else { throw failure("a string is not closed with '") }
            if byte == UInt8(ascii: "'") {
                let text = String(decoding: bytes[start..<position], as: UTF8.self)
                position += 1
                return text
            }
            if byte == 0x0A || byte == 0x0D { throw failure("a string is not closed with ' on its line") }
            try requireAllowedInString(byte)
            position += 1
        }
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(TOMLSyntaxError) {
        position += 1
        guard let escape = peek() else { throw failure("a string ends in the middle of an escape") }
        position += 1
        switch escape {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = escape == UInt8(ascii: "u") ? 4 : 8
            guard position + count <= bytes.count,
                  let code = UInt32(String(decoding: bytes[position..<(position + count)], as: UTF8.self), radix: 16),
                  bytes[position..<(position + count)].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
                  let scalar = Unicode.Scalar(code)
            else { throw failure("\\u needs 4 and \\U 8 hex digits naming a Unicode scalar") }
            out += Array(String(scalar).utf8)
            position += count
        default:
            throw failure("\\\(Character(Unicode.Scalar(escape))) is not an escape TOML knows")
        }
    }

    /// A backslash at the end of a line in a multi-line basic string joins
    /// the lines, dropping the white space that follows.
    private mutating func skipLineEndingBackslash() throws(TOMLSyntaxError) -> Bool {
        var probe = position + 1
        while probe < bytes.count, bytes[probe] == 0x20 || bytes[probe] == 0x09 { probe += 1 }
        guard probe < bytes.count, bytes[probe] == 0x0A || bytes[probe] == 0x0D else { return false }
        position = probe
        while let byte = peek() {
            switch byte {
            case 0x20, 0x09: position += 1
            case 0x0A: advanceLine()
            case 0x0D: try expectNewline()
            default: return true
            }
        }
        return true
    }

    private mutating func skipNewlineAfterOpeningDelimiter() throws(TOMLSyntaxError) {
        if peek() == 0x0A {
            advanceLine()
        } else if peek() == 0x0D {
            try expectNewline()
        }
    }

    /// TOML forbids control characters in strings, but for the tab.
    private func requireAllowedInString(_ byte: UInt8) throws(TOMLSyntaxError) {
        if (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            throw failure("a control character (0x\(String(byte, radix: 16))) must be written as an escape")
        }
    }

    // MARK: White space, comments and line ends

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private func starts(with text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let expected = UnsafeBufferPointer(start: text.utf8Start, count: count)
        for index in 0..<count where bytes[position + index] != expected[index] { return false }
        return true
    }

    private mutating func skipBlankSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 { position += 1 }
    }

    /// Inside an array: blanks, comments and line ends.
    private mutating func skipArraySpace() throws(TOMLSyntaxError) {
        while let byte = peek() {
            switch byte {
            case 0x20, 0x09: position += 1
            case 0x0A: advanceLine()
            case 0x0D: try expectNewline()
            case UInt8(ascii: "#"): try checkedComment()
            default: return
            }
        }
    }

    private mutating func checkedComment() throws(TOMLSyntaxError) {
        while let byte = peek(), byte != 0x0A, byte != 0x0D {
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw failure("a control character in a comment") }
            position += 1
        }
    }

    /// After a header or a key's value: only blanks and a comment to the end of the line.
    private mutating func endOfLine() throws(TOMLSyntaxError) {
        skipBlankSpace()
        guard let byte = peek() else { return }
        switch byte {
        case UInt8(ascii: "#"): try checkedComment()
        case 0x0A, 0x0D: break
        default: throw failure("unexpected text after the value; one key = value per line")
        }
        if let next = peek() {
            if next == 0x0A { advanceLine() } else if next == 0x0D { try expectNewline() }
        }
    }

    private mutating func advanceLine() {
        position += 1
        line += 1
    }

    private mutating func expectNewline() throws(TOMLSyntaxError) {
        guard position + 1 < bytes.count, bytes[position + 1] == 0x0A else { throw failure("a carriage return must be followed by a line feed") }
        position += 2
        line += 1
    }

    private mutating func expect(_ character: Character, _ message: String) throws(TOMLSyntaxError) {
        guard let byte = peek(), byte == character.asciiValue else { throw failure(message) }
        position += 1
    }

    private mutating func expectWord(_ word: StaticString) throws(TOMLSyntaxError) {
        guard starts(with: word) else { throw failure("a value was expected (a string, number, true, false, array or table)") }
        position += word.utf8CodeUnitCount
    }

    private mutating func enter() throws(TOMLSyntaxError) {
        nesting += 1
        guard nesting <= Self.maximumNesting else { throw failure("arrays and tables are nested too deeply") }
    }

    private func failure(_ message: String) -> TOMLSyntaxError {
        TOMLSyntaxError(line: line, message: message)
    }

    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"): true
        default: false
        }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: ":"): true
        default: false
        }
    }
}
