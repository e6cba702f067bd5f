import TrilliumCore

/// One line of text being typed: left/right, backspace, delete, Ctrl-U, and
/// no control characters (nothing typed can reach the terminal or the log
/// as a control sequence).
public struct TextField: Sendable, Equatable {
    public private(set) var characters: [Character]
    public private(set) var cursor: Int
    public var limit: Int
    /// A PIN: drawn as one `*` per character, never shown, never echoed in a message.
    public var isSecret = false

    public init(_ text: String = "", limit: Int = 200) {
        characters = Array(text.prefix(limit))
        cursor = characters.count
        self.limit = limit
    }

    /// An empty field for a PIN.
    public static func secret() -> TextField {
        var field = TextField(limit: PINRule.maximumLength)
        field.isSecret = true
        return field
    }

    public var text: String { String(characters) }
    /// What the screen shows of it.
    public var shown: String { isSecret ? String(repeating: "*", count: characters.count) : text }
    public var trimmed: String { text.trimmingSpaces() }
    /// At its limit: a character typed now is not kept.
    public var isFull: Bool { characters.count >= limit }

    /// Applies an editing key; returns false for keys it does not edit with.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case let .character(c):
            guard !c.unicodeScalars.contains(where: VisibleText.isUnsafe), characters.count < limit else { return true }
            characters.insert(c, at: cursor)
            cursor += 1
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .backspace:
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete:
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .control("u"):
            characters.removeAll()
            cursor = 0
        default:
            return false
        }
        return true
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice = slice.dropFirst() }
        while slice.last?.isWhitespace == true { slice = slice.dropLast() }
        return String(slice)
    }
}
