import TrilliumCore
import TrilliumUI

// Proves: KeyDecoder.decode, which turns whatever a terminal sends into keys,
// never traps or loops whatever arrives, and never lets a control character
// of an escape sequence out as a typed character (the part of a sequence that
// once ran as commands). Each input byte is one input: 0xF0-0xFB stand for
// the keys the terminal library recognises itself, 0xFC-0xFF for a character
// above ASCII (taken from the next two bytes), every other byte for itself.
private let recognised: [Key] = [.up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .delete, .backTab, .enter, .backspace]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var inputs: [KeyInput] = []
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        index += 1
        switch byte {
        case 0xF0...0xFB:
            inputs.append(.key(recognised[Int(byte - 0xF0)]))
        case 0xFC...0xFF:
            var code: UInt32 = 0x80
            for _ in 0..<2 where index < bytes.count {
                code = code << 8 | UInt32(bytes[index])
                index += 1
            }
            inputs.append(.character(code))
        default:
            inputs.append(.character(UInt32(byte)))
        }
    }
    let keys = KeyDecoder.decode(inputs)
    precondition(keys.count <= inputs.count, "more keys than inputs")
    for key in keys {
        if case let .character(character) = key {
            precondition(!character.unicodeScalars.contains(where: VisibleText.isUnsafe), "a control character decoded as typed text")
        }
    }
    return 0
}
