import Testing
import TrilliumSettings

/// The TOML reader behind protocol and theme files: the TOML 1.0 that
/// Trillium's files use, read exactly, and everything else refused with a
/// line, never a crash.
@Suite("TOML files")
struct TOMLParserTests {
    func document(_ text: String) throws(SettingsFileError) -> TOMLDocument {
        try TOMLDocument(text: text, file: "t.toml")
    }

    @Test func valuesOfEveryKindTrilliumUses() throws {
        let doc = try document("""
            # a comment
            title = "Basic \\"quoted\\" \\u00e9\\U0001F600\\t"
            literal = 'C:\\path'
            multi = \"\"\"
            one
            two \\
               three\"\"\"
            raw = '''
            kept \\n as is'''
            integer = +1_000
            negative = -17
            hex = 0xDEAD_beef
            float = 6.25e-1
            inf = -inf
            yes = true
            list = [ "a", 'b', # comment inside
              "c", ]
            "quoted key" = 1
            dotted.inner = 2

            [table . sub]
            x = { fg = "ink", bg = "paper", modifiers = ["bold"] }

            [[item]]
            id = "one"
            [[item]]
            id = "two"
            [item.detail]
            deep = 3
            """)
        let root = doc.root
        #expect(root["title"]?.string == "Basic \"quoted\" é😀\t")
        #expect(root["literal"]?.string == "C:\\path")
        #expect(root["multi"]?.string == "one\ntwo three")
        #expect(root["raw"]?.string == "kept \\n as is")
        #expect(root["integer"]?.int == 1000)
        #expect(root["negative"]?.int == -17)
        #expect(root["hex"]?.int == 0xDEAD_BEEF)
        #expect(root["float"]?.double == 0.625)
        #expect(root["inf"]?.double == -.infinity)
        #expect(root["yes"]?.bool == true)
        #expect(root["list"]?.array?.compactMap(\.string) == ["a", "b", "c"])
        #expect(root["quoted key"]?.int == 1)
        #expect(root["dotted"]?.table?["inner"]?.int == 2)
        let inline = root["table"]?.table?["sub"]?.table?["x"]?.table
        #expect(inline?["fg"]?.string == "ink")
        #expect(inline?["modifiers"]?.array?.first?.string == "bold")
        let items = root["item"]?.array?.compactMap(\.table) ?? []
        #expect(items.map { $0["id"]?.string } == ["one", "two"])
        #expect(items.last?["detail"]?.table?["deep"]?.int == 3)
        #expect(doc.line(of: "item[1].id") == 27)
        #expect(doc.line(of: "item[1].detail.deep") == 29)
        #expect(doc.line(of: "table.sub.x.fg") == 22)
        #expect(root.keys.prefix(3) == ["title", "literal", "multi"])
    }

    @Test func whatTOMLForbidsIsRefusedWithItsLine() {
        let cases: [(String, Int, String)] = [
            ("a = 1\na = 2", 2, "defined twice"),
            ("[t]\n[t]", 2, "defined twice"),
            ("a = \"open", 1, "not closed"),
            ("a = 01", 1, "leading zeros"),
            ("a = 1__0", 1, "underscore"),
            ("a = 99999999999999999999", 1, "out of range"),
            ("a = 1979-05-27", 1, "dates and times"),
            ("a = \"\\q\"", 1, "not an escape"),
            ("a = \"\\uD800\"", 1, "Unicode scalar"),
            ("a = [1, 2", 1, "not closed"),
            ("a = 1 b = 2", 1, "unexpected text"),
            ("[\\u001B]", 1, "a key was expected"),
            ("a = \"x\u{1B}y\"", 1, "control character"),
            ("x = [1]\n[[x]]", 2, "not an array of tables"),
            ("a = { b = 1 }\n[a]", 2, "defined twice"),
            ("a = " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40), 1, "nested too deeply"),
            // Forty thousand dots made tables too deep to free without overflowing the stack.
            (String(repeating: "a.", count: 40_000) + "b = 1", 1, "more than 32 parts"),
            ("[" + String(repeating: "a.", count: 40_000) + "b]", 1, "more than 32 parts"),
            ("x = {" + String(repeating: "a.", count: 40_000) + "b = 1}", 1, "more than 32 parts"),
            ("\n\n= 3", 3, "a key was expected"),
            ("a = 1\r", 1, "carriage return"),
        ]
        for (text, line, message) in cases {
            do {
                _ = try document(text)
                Issue.record("\(text.debugDescription) was accepted")
            } catch {
                #expect(error.line == line, "\(text.debugDescription): \(error)")
                #expect(error.message.contains(message), "\(text.debugDescription): \(error)")
            }
        }
    }

    @Test func theEmbeddedProtocolReadsAsBefore() throws {
        let parsed = try ProtocolFile.parse(DefaultProtocol.text, file: "default")
        #expect(parsed.zones.count == 15)
        #expect(parsed.anesthesia.agents.count == 4)
        #expect(parsed.directions.first { $0.id == "diagonal_down" }?.asciiSymbol == "\\")
    }

    /// Issue 9, defect 10: a clinic's edited copy of the defaults is not "(Trillium defaults)".
    @Test func onlyTheEmbeddedProtocolIsCalledTheDefaults() throws {
        #expect(ProtocolFile.defaultProtocol().title == "Facial microneedling (Trillium defaults)")
        let copy = DefaultProtocol.text.replacingOccurrences(of: "minimum_dwell_minutes = 30", with: "minimum_dwell_minutes = 25")
        #expect(try ProtocolFile.parse(copy, file: "clinic.toml").title == "Facial microneedling")
    }
}
