import Testing
import TrilliumUI

@Suite("Wrapping text to a width")
struct TextWrappingTests {
    @Test func wordsMoveToTheNextLineAndLongWordsAreCut() {
        #expect(TerminalWidth.wrap("dwell ended after twenty minutes", width: 12) == ["dwell ended", "after twenty", "minutes"])
        #expect(TerminalWidth.wrap("abcdefghij xy", width: 4) == ["abcd", "efgh", "ij", "xy"])
        #expect(TerminalWidth.wrap("a  b", width: 10) == ["a  b"])
        #expect(TerminalWidth.wrap("", width: 5) == [""])
        #expect(TerminalWidth.wrap("dose 2 ml\nlot CL-1", width: 20) == ["dose 2 ml", "lot CL-1"])
        // Wide characters take two columns: a six-column word is cut to fit five.
        #expect(TerminalWidth.wrap("伊藤 さくら 様", width: 5) == ["伊藤", "さく", "ら 様"])
    }

    /// Printable ASCII takes a path of its own (split at bytes, a column a
    /// byte); one word that is not ASCII at the end sends the same text the
    /// general way, which must then differ only in its last line.
    @Test func printableASCIIIsWrappedAsAnyOtherText() {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789.,:#-()")
        for _ in 0..<500 {
            let text = (0..<next(14)).map { _ in String((0..<next(16)).map { _ in letters[next(letters.count)] }) }.joined(separator: " ")
            let width = 1 + next(20)
            let ascii = TerminalWidth.wrap(text, width: width)
            let general = TerminalWidth.wrap(text + " é", width: width)
            #expect(ascii.allSatisfy { $0.count <= width }, "\(text) at \(width)")
            let last = ascii.last!
            let expectedEnd = last.isEmpty ? ["é"] : last.count + 2 <= width ? [last + " é"] : [last, "é"]
            #expect(general == ascii.dropLast() + expectedEnd, "\(text) at \(width)")
        }
    }
}
