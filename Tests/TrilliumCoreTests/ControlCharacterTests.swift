import Testing
@testable import TrilliumCore

/// Names, lots, reasons and goals are refused when they hold a control
/// character. The check compares code points rather than asking Unicode's
/// property tables for each scalar (it runs on every record folded), so it
/// is held to those tables over every scalar there is.
@Suite("Control characters")
struct ControlCharacterTests {
    @Test func theCheckIsUnicodesControlCategoryForEveryScalar() {
        var disagreements: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let isControl = scalar.properties.generalCategory == .control
            if ("a" + String(Character(scalar)) + "b").hasControlCharacter != isControl { disagreements.append(value) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
        #expect("P-1003".hasControlCharacter == false)
        #expect("lot\u{85}".hasControlCharacter)
    }
}
