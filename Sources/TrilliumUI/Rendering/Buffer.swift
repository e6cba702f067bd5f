import TrilliumCore

public struct Size: Sendable, Hashable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

public struct Rect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    public func inset(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }
}

/// One screen cell. A wide character occupies its cell and marks the next
/// one as its continuation, which the backend skips.
public struct Cell: Sendable, Hashable {
    public var character: Character
    public var style: Style
    public var isContinuation: Bool

    public init(_ character: Character = " ", _ style: Style = .plain, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }
}

/// A grid of styled cells: what `view` returns and the backend draws. All
/// writes are clipped here, so no view can draw outside the screen.
public struct Buffer: Sendable, Equatable {
    public let size: Size
    public private(set) var cells: [Cell]
    /// Every text a write had to cut where it did not fit, without an
    /// ellipsis: a reader loses its end without being told. Views shorten
    /// what may not fit with `TerminalWidth.truncate`; the 80×24 audit
    /// test fails on anything here.
    public private(set) var cutTexts: [String] = []

    public static func == (lhs: Buffer, rhs: Buffer) -> Bool {
        lhs.size == rhs.size && lhs.cells == rhs.cells
    }

    public init(size: Size, fill: Style = .plain) {
        self.size = size
        cells = Array(repeating: Cell(" ", fill), count: max(0, size.width * size.height))
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: size.width, height: size.height) }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * size.width + x]
    }

    /// Writes `text` at (x, y), at most `limit` columns wide; returns the columns used.
    /// Control characters are drawn as visible symbols (`VisibleText`), so
    /// recorded text can never drive the terminal.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < size.height else { return 0 }
        let end = min(size.width, limit.map { x + $0 } ?? size.width)
        var column = x
        // Printable ASCII, most of what is drawn, is itself, one column a byte.
        if let columns = writePrintableASCII(text, x: x, y: y, end: end, style: style) { return columns }
        let visible = Array(VisibleText.field(text))
        for (index, character) in visible.enumerated() {
            let width = TerminalWidth.of(character)
            if column + width > end {
                // Trailing blanks cost nothing; anything else is a cut the reader is not told of.
                if visible[index...].contains(where: { $0 != " " }) { cutTexts.append(text) }
                break
            }
            if column >= 0 {
                set(column, y, Cell(character, style))
                if width == 2 { set(column + 1, y, Cell(" ", style, isContinuation: true)) }
            }
            column += width
        }
        return column - x
    }

    /// The printable ASCII characters, made once: a frame writes thousands of
    /// cells, and a `Character` made from a byte builds a string each time.
    private static let asciiCharacters: [Character] = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) }

    /// `write` for text that is all printable ASCII, read straight from its
    /// bytes; nil for any other text (or one not stored contiguously), which
    /// `write` measures character by character.
    private mutating func writePrintableASCII(_ text: String, x: Int, y: Int, end: Int, style: Style) -> Int? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard bytes.allSatisfy(TerminalWidth.isPrintableASCII) else { return nil }
            var column = x
            for index in bytes.indices {
                if column + 1 > end {
                    if bytes[index...].contains(where: { $0 != UInt8(ascii: " ") }) { cutTexts.append(text) }
                    break
                }
                if column >= 0 { set(column, y, Cell(Self.asciiCharacters[Int(bytes[index])], style)) }
                column += 1
            }
            return column - x
        } ?? nil
    }

    /// Copies the cells of `rows` of `source` here, with their top left at (x, y).
    /// They were sanitised when they were written there.
    public mutating func paste(_ source: Buffer, rows: Range<Int>, x: Int, y: Int) {
        for (offset, row) in rows.enumerated() where row >= 0 && row < source.size.height {
            for column in 0..<source.size.width {
                set(x + column, y + offset, source[column, row])
            }
        }
    }

    public mutating func fill(_ rect: Rect, style: Style, character: Character = " ") {
        for y in max(0, rect.y)..<min(size.height, rect.maxY) {
            for x in max(0, rect.x)..<min(size.width, rect.maxX) {
                set(x, y, Cell(character, style))
            }
        }
    }

    /// Restyles a region, keeping its characters (for reverse-video highlights).
    public mutating func restyle(_ rect: Rect, style: Style) {
        for y in max(0, rect.y)..<min(size.height, rect.maxY) {
            for x in max(0, rect.x)..<min(size.width, rect.maxX) {
                cells[y * size.width + x].style = style
            }
        }
    }

    public mutating func box(_ rect: Rect, style: Style, glyphs: GlyphSet, title: String? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let g = glyphs.box
        for x in rect.x + 1..<rect.maxX - 1 {
            set(x, rect.y, Cell(g.horizontal, style))
            set(x, rect.maxY - 1, Cell(g.horizontal, style))
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            set(rect.x, y, Cell(g.vertical, style))
            set(rect.maxX - 1, y, Cell(g.vertical, style))
        }
        set(rect.x, rect.y, Cell(g.topLeft, style))
        set(rect.maxX - 1, rect.y, Cell(g.topRight, style))
        set(rect.x, rect.maxY - 1, Cell(g.bottomLeft, style))
        set(rect.maxX - 1, rect.maxY - 1, Cell(g.bottomRight, style))
        if let title, rect.width > 6 {
            write(" \(title) ", x: rect.x + 2, y: rect.y, style: Style(style.role, [.bold]), limit: rect.width - 4)
        }
    }

    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, x < size.width, y >= 0, y < size.height else { return }
        // Overwriting half of a wide character blanks its other half.
        let index = y * size.width + x
        if cells[index].isContinuation, x > 0 { cells[index - 1] = Cell(" ", cells[index - 1].style) }
        if x + 1 < size.width, cells[index + 1].isContinuation, TerminalWidth.of(cell.character) < 2 || cell.isContinuation {
            cells[index + 1] = Cell(" ", cells[index + 1].style)
        }
        cells[index] = cell
    }

    /// The characters, one line per row, trailing spaces kept: a text snapshot.
    public func text() -> String {
        (0..<size.height).map { y in
            var line = ""
            for x in 0..<size.width where !self[x, y].isContinuation {
                line.append(self[x, y].character)
            }
            return line
        }.joined(separator: "\n")
    }
}

/// Box drawing and status glyphs: Unicode where the terminal's locale is
/// UTF-8, plain ASCII otherwise.
public struct GlyphSet: Sendable, Equatable {
    public struct Box: Sendable, Equatable {
        public var horizontal: Character
        public var vertical: Character
        public var topLeft: Character
        public var topRight: Character
        public var bottomLeft: Character
        public var bottomRight: Character
    }

    public var box: Box
    public var isUnicode: Bool
    public var ellipsis: String
    public var check: String
    public var cross: String
    public var pointer: String
    public var bullet: String
    /// Between parts of one line: " · ".
    public var separator: String
    public var arrow: String

    public static let unicode = GlyphSet(
        box: Box(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘"),
        isUnicode: true, ellipsis: "…", check: "✓", cross: "✗", pointer: "▶", bullet: "•",
        separator: " · ", arrow: "→")

    public static let ascii = GlyphSet(
        box: Box(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+"),
        // "+" for done: an "x" reads as a failure.
        isUnicode: false, ellipsis: "~", check: "+", cross: "!", pointer: ">", bullet: "*",
        separator: " | ", arrow: "->")
}
