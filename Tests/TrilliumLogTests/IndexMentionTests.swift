import Testing
import TrilliumLog

/// History and recall pass over every index entry that cannot mention the
/// patient or lot asked for. Ruling one out wrongly would hide a session
/// from a recall, so the search is held to the plain definition: ASCII text
/// found in the line, in any case when asked, and never ruled out where the
/// line or the text is not ASCII (strings compare by canonical equivalence).
@Suite("Searching the session index")
struct IndexMentionTests {
    static let alphabet: [UInt8] = Array("aAbBcClLzZ019-_ .".utf8) + [0x09]
    /// Rare in a line, as in the index: a line that holds one is never ruled out.
    static let nonASCII: [UInt8] = [0xC3, 0xA9]

    static func byte(using generator: inout some RandomNumberGenerator) -> UInt8 {
        Int.random(in: 0..<100, using: &generator) < 2 ? nonASCII.randomElement(using: &generator)! : alphabet.randomElement(using: &generator)!
    }

    static func expected(_ needle: [UInt8], in line: [UInt8], caseInsensitive: Bool) -> Bool {
        if needle.isEmpty || needle.contains(where: { $0 >= 0x80 || $0 == 0x09 || $0 == 0x0A || $0 == 0x5C }) { return true }
        if line.contains(where: { $0 >= 0x80 }) { return true }
        func folded(_ byte: UInt8) -> UInt8 { caseInsensitive && (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
        guard line.count >= needle.count else { return false }
        return (0...(line.count - needle.count)).contains { start in needle.indices.allSatisfy { folded(line[start + $0]) == folded(needle[$0]) } }
    }

    @Test func anEntryIsRuledOutOnlyWhenItCannotHoldTheText() {
        var generator = SystemRandomNumberGenerator()
        var found = 0, ruledOut = 0
        for _ in 0..<20_000 {
            let line = (0..<Int.random(in: 0...40, using: &generator)).map { _ in Self.byte(using: &generator) }
            var needle = (0..<Int.random(in: 1...6, using: &generator)).map { _ in Self.byte(using: &generator) }
            // Often a piece of the line itself, with its letters' case changed.
            if !line.isEmpty, Bool.random(using: &generator) {
                let start = Int.random(in: 0..<line.count, using: &generator)
                needle = line[start..<min(line.count, start + Int.random(in: 1...6, using: &generator))].map { byte in
                    let isLetter = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    return isLetter && Bool.random(using: &generator) ? byte ^ 0x20 : byte
                }
            }
            let caseInsensitive = Bool.random(using: &generator)
            let mention = LogIndex.Mention(String(decoding: needle, as: UTF8.self), caseInsensitive: caseInsensitive)
            let answer = line.withUnsafeBufferPointer { mention.mightBe(in: $0) }
            let wanted = Self.expected(Array(String(decoding: needle, as: UTF8.self).utf8), in: line, caseInsensitive: caseInsensitive)
            #expect(answer == wanted, "\(needle) in \(line), case ignored: \(caseInsensitive)")
            if wanted { found += 1 } else { ruledOut += 1 }
        }
        // Both answers were asked for many times.
        #expect(found > 2_000 && ruledOut > 2_000)
    }

    @Test func aLotIsFoundInAnyCaseAroundItsDigits() {
        let line = Array("2028-07-31T09-00-00.000Z_ab.tlog\t25398\tvalid\tcl-2807-4149\t2029-01".utf8)
        func mentions(_ text: String, caseInsensitive: Bool) -> Bool {
            line.withUnsafeBufferPointer { LogIndex.Mention(text, caseInsensitive: caseInsensitive).mightBe(in: $0) }
        }
        #expect(mentions("CL-2807-4149", caseInsensitive: true))
        #expect(!mentions("CL-2807-4149", caseInsensitive: false))
        #expect(!mentions("CL-2807-4148", caseInsensitive: true))
        #expect(!mentions("DL-2807-4149", caseInsensitive: true))
        #expect(mentions("VALID", caseInsensitive: true))
        #expect(!mentions("VALIDITY", caseInsensitive: true))
        #expect(mentions("4149\t2029", caseInsensitive: true), "a tab in the text is never ruled out")
    }

    /// A patient recorded with the Kelvin sign is the patient "P-K" to the
    /// reading of every log (canonical equivalence): the index must not rule it out.
    @Test func aLineWithTheKelvinSignIsNotRuledOutForK() {
        let line = Array("x.tlog\tvalid\tP-\u{212A}\tJ. Okafor".utf8)
        #expect("P-\u{212A}" == "P-K")
        #expect(line.withUnsafeBufferPointer { LogIndex.Mention("P-K", caseInsensitive: false).mightBe(in: $0) })
    }
}
