/// A key press, normalised from whatever the terminal sent.
public enum Key: Hashable, Sendable {
    case character(Character)
    case control(Character)
    case up, down, left, right
    case enter, escape, tab, backTab, backspace, delete
    case home, end, pageUp, pageDown
    /// Alt (or Meta) held with a character: no screen uses it, so it is never the plain character.
    case alt(Character)
    /// An escape sequence the app does not use (a function key, a terminal's report): ignored whole.
    case unrecognized

    public static let space = Key.character(" ")

    /// How the key is written in the footer, the help overlay and `trillium keys`.
    public var label: String {
        switch self {
        case .character(" "): "Space"
        case let .character(c): String(c)
        case let .control(c): "Ctrl-\(String(c).uppercased())"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Delete"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case let .alt(c): "Alt-\(c)"
        case .unrecognized: "(a key Trillium does not use)"
        }
    }

    public var asciiLabel: String {
        switch self {
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        default: label
        }
    }
}
