import Foundation
import Testing
import TrilliumCore
import TrilliumSettings
import TrilliumUI

@Suite("Themes")
struct ThemeTests {
    static var themesDirectory: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Themes").path
    }

    @Test func theThemesFolderHoldsExactlyTheBundledThemes() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesDirectory).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(files == BundledThemes.names.map { $0 + ".toml" }.sorted())
        for name in BundledThemes.names {
            let onDisk = try String(contentsOfFile: Self.themesDirectory + "/\(name).toml", encoding: .utf8)
            #expect(onDisk == BundledThemes.text(named: name), "Themes/\(name).toml and the compiled-in copy differ")
        }
    }

    @Test func everyBundledThemeDefinesEveryRoleWithoutWarnings() throws {
        for name in BundledThemes.names {
            let loaded = try ThemeFile.parse(BundledThemes.text(named: name)!, file: name, fallback: nil)
            #expect(loaded.warnings.isEmpty, "\(name): \(loaded.warnings)")
            #expect(Set(loaded.theme.styles.keys) == Set(Role.allCases), "\(name) misses roles")
        }
    }

    @Test(arguments: ["default-dark", "default-light", "high-contrast", "okabe-ito"])
    func textRolesReach4_5To1(_ name: String) {
        let theme = ThemeLibrary.bundled(name)
        for role in Role.allCases {
            let style = theme.style(for: role)
            let ratio = style.foreground.contrast(with: style.background)
            #expect(ratio != nil, "\(name).\(role.rawValue) must name both colours")
            #expect((ratio ?? 0) >= 4.5, "\(name).\(role.rawValue): \(ratio ?? 0):1")
        }
    }

    @Test func contrastIsComputedAsWCAGDoes() {
        let black = ThemeColor("#000000")!, white = ThemeColor("#ffffff")!
        #expect(abs(black.contrast(with: white)! - 21) < 0.01)
        #expect(abs(ThemeColor("#777777")!.contrast(with: white)! - 4.48) < 0.01)
    }

    @Test func missingRolesFallBackAndUnknownKeysAreWarnedWithTheirLine() throws {
        let text = """
        name = "clinic"
        variant = "light"
        colour = "blue"
        [palette]
        ink = "#000000"
        [roles]
        text = { fg = "ink", bg = "#ffffff" }
        sparkle = { fg = "ink" }
        """
        let loaded = try ThemeLibrary.load("clinic.toml") { _ in text }
        #expect(loaded.theme.style(for: .text) == RoleStyle(foreground: .rgb(0, 0, 0), background: .rgb(255, 255, 255)))
        #expect(loaded.theme.style(for: .danger) == ThemeLibrary.bundled("default-light").style(for: .danger))
        #expect(loaded.warnings.map(\.description) == [
            "clinic.toml:3: colour: is not a known key (ignored)",
            "clinic.toml:8: roles.sparkle: is not a known role (ignored)",
        ])
    }

    @Test func aBadColourIsAnErrorWithItsLine() {
        #expect(throws: SettingsFileError(file: "x.toml", line: 4, key: "roles.text.fg", message: "\"#12345\" is neither a palette name nor \"#rrggbb\"")) {
            try ThemeLibrary.load("x.toml") { _ in "name = \"x\"\nvariant = \"dark\"\n[roles]\ntext = { fg = \"#12345\" }\n" }
        }
    }

    @Test func noColorOrNoColoursGiveMono() {
        let theme = ThemeLibrary.bundled("okabe-ito")
        #expect(ThemeLibrary.effective(theme, environment: ["NO_COLOR": "1"], depth: .x256).name == "mono")
        #expect(ThemeLibrary.effective(theme, environment: ["NO_COLOR": ""], depth: .x256).name == "okabe-ito")
        #expect(ThemeLibrary.effective(theme, environment: [:], depth: .monochrome).name == "mono")
    }

    @Test func coloursAreQuantisedToTheTerminal() {
        let amber = ThemeColor("#ffcb5c")!
        #expect(ColorDepth.x256.index(of: amber) == 221)
        #expect(ColorDepth.x256.index(of: ThemeColor("#14181c")!) == 234)
        #expect(ColorDepth.sixteen.index(of: ThemeColor("#ffff40")!) == 11)
        #expect(ColorDepth.eight.index(of: amber) == 3)
        #expect(ColorDepth.eight.index(of: .terminalDefault) == -1)
        #expect(ColorDepth.monochrome.index(of: amber) == -1)
    }
}

@Suite("Keys as data")
struct KeyMapTests {
    @Test func noKeyMeansTwoThingsOnOneScreen() {
        for context in KeyContext.allCases {
            let keys = KeyMap.bindings(for: context).flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "\(context) binds a key twice")
        }
    }

    @Test func theReferenceListsEveryBinding() {
        let reference = KeyMap.reference()
        for context in KeyContext.allCases {
            #expect(reference.contains(context.title))
            for binding in KeyMap.bindings(for: context) { #expect(reference.contains(binding.help)) }
        }
    }

    @Test func screeningsNIsNoAndNotesMoveToShiftN() {
        #expect(KeyMap.action(for: .character("n"), in: .screening, inSession: true) == .answerNo)
        #expect(KeyMap.action(for: .character("N"), in: .screening, inSession: true) == .addNote)
        #expect(KeyMap.action(for: .character("n"), in: .treatment, inSession: true) == .addNote)
    }

    @Test func theFooterShowsTheScreensKeysFromTheKeymap() {
        let model = SessionFixture.at(.treatment).model()
        let footer = AppView.render(model).text().split(separator: "\n", omittingEmptySubsequences: false)[23]
        #expect(footer.hasPrefix(" ? help"))
        for label in ["+/- depth", "d set", "p pass", "e endpoint", "c done", "s skip"] {
            #expect(footer.contains(label))
        }
    }
}

@Suite("The cell buffer")
struct BufferTests {
    @Test func wideCharactersTakeTwoCellsAndWritesAreClipped() {
        var buffer = Buffer(size: Size(width: 6, height: 2))
        buffer.write("日本語", x: 0, y: 0)
        #expect(buffer.text() == "日本語\n      ")
        buffer.write("abcdefgh", x: 3, y: 1)
        #expect(buffer.text().split(separator: "\n")[1] == "   abc")
        buffer.write("x", x: 1, y: 0)
        #expect(buffer.text().split(separator: "\n")[0] == " x本語")
    }

    @Test func controlCharactersNeverReachTheTerminal() {
        var buffer = Buffer(size: Size(width: 10, height: 1))
        buffer.write("a\u{1B}[2Jb", x: 0, y: 0)
        #expect(buffer.text() == "a␛[2Jb    ", "shown as a symbol, so the reader sees it was recorded")
        // C1 CSI, a right-to-left override and DEL: none reaches a cell as itself.
        var wide = Buffer(size: Size(width: 30, height: 1))
        wide.write("x\u{9B}2J\u{202E}evil\u{7F}", x: 0, y: 0)
        #expect(wide.text() == "x<U+009B>2J<U+202E>evil␡      ")
        #expect(!wide.cells.contains { $0.character.unicodeScalars.contains(where: VisibleText.isUnsafe) })
        // Measured as drawn: a cut keeps its ellipsis inside the limit.
        #expect(TerminalWidth.truncate("\u{202E}abcdef", to: 10) == "<U+202E>a…")
    }
}
