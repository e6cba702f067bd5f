import TrilliumCore

/// What the terminal backend reads, before it means anything: a character
/// (a Unicode scalar value, controls included) or a key the terminal
/// library already recognised from its escape sequence.
public enum KeyInput: Sendable, Equatable {
    case character(UInt32)
    case key(Key)
}

/// Turns what arrived together from the keyboard into keys. The terminal
/// library recognises the sequences its terminfo entry names (arrows, Home,
/// PgUp…); everything else arrives as ESC and the rest of the sequence. Read
/// one character at a time, that rest would run as commands (Alt-s opened
/// "skip zone") and the ESC would discard a typed note. So a burst is parsed
/// here as a whole: ESC alone is Esc; ESC and a printable character is
/// Alt+that character; ESC [ … (CSI), ESC O x (SS3), ESC ] … (OSC), ESC P …
/// (DCS) and the 8-bit CSI are whole sequences the app does not use, and
/// none of their characters ever becomes a key.
public enum KeyDecoder {
    /// The keys in `inputs`, a burst read without waiting between characters.
    public static func decode(_ inputs: [KeyInput]) -> [Key] {
        var keys: [Key] = []
        var index = 0
        while index < inputs.count {
            switch inputs[index] {
            case let .key(key):
                keys.append(key)
                index += 1
            case .character(0x1B):
                let (key, next) = decodeEscape(inputs, after: index)
                if let key { keys.append(key) }
                index = next
            case .character(0x9B):
                // The 8-bit form of ESC [.
                index = endOfControlSequence(inputs, from: index + 1)
                keys.append(.unrecognized)
            case let .character(code):
                if let key = key(forCharacter: code) { keys.append(key) }
                index += 1
            }
        }
        return keys
    }

    /// The key for one character on its own; nil for those that mean nothing.
    public static func key(forCharacter code: UInt32) -> Key? {
        switch code {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(code + 96)!))
        case 0, 28...31, 0x80..<0xA0: return nil
        default:
            guard let scalar = Unicode.Scalar(code), !VisibleText.isUnsafe(scalar) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// What follows an ESC at `index`: the key it makes (nil for none) and where decoding goes on.
    private static func decodeEscape(_ inputs: [KeyInput], after index: Int) -> (Key?, Int) {
        let next = index + 1
        guard next < inputs.count else { return (.escape, next) }
        switch inputs[next] {
        case .key:
            // A key the library knew, sent with Alt held (ESC then an arrow): not the plain key.
            return (.unrecognized, next + 1)
        case .character(0x1B):
            // Two Esc presses in one burst: the first stands alone.
            return (.escape, next)
        case .character(UInt32(UInt8(ascii: "["))):
            let end = endOfControlSequence(inputs, from: next + 1)
            return (navigationKey(inputs[(next + 1)..<end]) ?? .unrecognized, end)
        case .character(UInt32(UInt8(ascii: "O"))):
            // SS3: exactly one more character (F1–F4 and keypad keys on many terminals).
            let end = min(inputs.count, next + 2)
            return (navigationKey(inputs[(next + 1)..<end]) ?? .unrecognized, end)
        case .character(UInt32(UInt8(ascii: "]"))), .character(UInt32(UInt8(ascii: "P"))),
             .character(UInt32(UInt8(ascii: "_"))), .character(UInt32(UInt8(ascii: "^"))):
            return (.unrecognized, endOfString(inputs, from: next + 1))
        case let .character(code):
            if let scalar = Unicode.Scalar(code), code >= 0x20, !VisibleText.isUnsafe(scalar) {
                return (.alt(Character(scalar)), next + 1)
            }
            // ESC with a control character (Ctrl-Alt-x): nothing the app uses.
            return (.unrecognized, next + 1)
        }
    }

    /// The arrows, Home, End, Page Up, Page Down and Delete as VT220, xterm
    /// and rxvt send them, unmodified: keys the terminal's description should
    /// have named, arriving raw where TERM says another terminal (an xterm
    /// type inside tmux sends End as ESC [ 4 ~). Any other sequence, or these
    /// with a modifier, means nothing here.
    private static func navigationKey(_ sequence: ArraySlice<KeyInput>) -> Key? {
        var text = ""
        for input in sequence {
            guard case let .character(code) = input, let scalar = Unicode.Scalar(code), scalar.isASCII else { return nil }
            text.unicodeScalars.append(scalar)
        }
        switch text {
        case "A": return .up
        case "B": return .down
        case "C": return .right
        case "D": return .left
        case "H", "1~", "7~": return .home
        case "F", "4~", "8~": return .end
        case "5~": return .pageUp
        case "6~": return .pageDown
        case "3~": return .delete
        default: return nil
        }
    }

    /// Past a CSI sequence's parameters and intermediates and its final byte.
    private static func endOfControlSequence(_ inputs: [KeyInput], from start: Int) -> Int {
        var index = start
        while index < inputs.count {
            guard case let .character(code) = inputs[index] else { return index }
            index += 1
            switch code {
            case 0x20...0x3F: continue
            case 0x40...0x7E: return index
            default: return index - 1  // not part of a sequence: decoded on its own
            }
        }
        return index
    }

    /// Past an OSC, DCS, APC or PM string: up to BEL or ESC \ (or the burst's end).
    private static func endOfString(_ inputs: [KeyInput], from start: Int) -> Int {
        var index = start
        while index < inputs.count {
            guard case let .character(code) = inputs[index] else { return index }
            index += 1
            if code == 0x07 || code == 0x9C { return index }
            if code == 0x1B {
                if index < inputs.count, inputs[index] == .character(UInt32(UInt8(ascii: "\\"))) { return index + 1 }
                return index - 1
            }
        }
        return index
    }
}
