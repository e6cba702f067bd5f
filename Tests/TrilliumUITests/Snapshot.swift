import Foundation
import Testing
import TrilliumUI

/// Text snapshots: the screen's characters, then its styles as the theme
/// resolves them (colour indices and attributes), run by run. A missing
/// snapshot is written and the test fails so that it gets reviewed;
/// TRILLIUM_RECORD_SNAPSHOTS=1 rewrites them all.
enum Snapshot {
    /// Every screen is kept in the default theme and in mono (attributes only).
    static let themes: [(Theme, ColorDepth)] = [
        (ThemeLibrary.bundled("default-dark"), .x256), (ThemeLibrary.bundled("mono"), .monochrome),
    ]

    /// `name-WxH-theme` for each of `themes`.
    static func assertMatchesInEveryTheme(_ name: String, _ buffer: Buffer, sourceLocation: SourceLocation = #_sourceLocation) {
        for (theme, depth) in themes {
            assertMatches("\(name)-\(buffer.size.width)x\(buffer.size.height)-\(theme.name)", buffer, theme: theme, depth: depth,
                          sourceLocation: sourceLocation)
        }
    }

    static var directory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots").path
    }

    static func render(_ buffer: Buffer, theme: Theme, depth: ColorDepth) -> String {
        var out = "=== \(buffer.size.width)x\(buffer.size.height), theme \(theme.name), \(depth) ===\n"
        out += buffer.text().split(separator: "\n", omittingEmptySubsequences: false).map { "|" + $0 + "|" }.joined(separator: "\n")
        out += "\n=== styles: columns fg/bg attributes (-1 is the terminal's default) ===\n"
        for y in 0..<buffer.size.height {
            var runs: [String] = []
            var start = 0
            var current: String?
            func describe(_ x: Int) -> String {
                let style = theme.resolve(buffer[x, y].style)
                var text = "\(depth.index(of: style.foreground))/\(depth.index(of: style.background))"
                if style.emphasis.contains(.bold) { text += " bold" }
                if style.emphasis.contains(.reverse) { text += " reverse" }
                if style.emphasis.contains(.underline) { text += " underline" }
                if style.emphasis.contains(.dim) { text += " dim" }
                return text
            }
            for x in 0...buffer.size.width {
                let style = x < buffer.size.width ? describe(x) : nil
                if style != current {
                    if let current { runs.append("\(start)-\(x - 1) \(current)") }
                    current = style
                    start = x
                }
            }
            out += "\(y): " + runs.joined(separator: ", ") + "\n"
        }
        return out
    }

    static func assertMatches(_ name: String, _ buffer: Buffer, theme: Theme, depth: ColorDepth,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = render(buffer, theme: theme, depth: depth)
        let path = directory + "/" + name + ".txt"
        let record = ProcessInfo.processInfo.environment["TRILLIUM_RECORD_SNAPSHOTS"] == "1"
        guard !record, let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try? actual.write(toFile: path, atomically: true, encoding: .utf8)
            if !record { Issue.record("recorded a new snapshot \(name): review and commit it", sourceLocation: sourceLocation) }
            return
        }
        if expected != actual {
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
            let detail = first.map { "line \($0.offset + 1):\n- \($0.element.0)\n+ \($0.element.1)" } ?? "different length"
            Issue.record("snapshot \(name) differs (TRILLIUM_RECORD_SNAPSHOTS=1 to re-record after review)\n\(detail)",
                         sourceLocation: sourceLocation)
        }
    }
}
