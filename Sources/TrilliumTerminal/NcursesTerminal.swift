import CNcursesw
import CTerminalSupport
#if canImport(Glibc)
import Glibc
#endif
import TrilliumUI

/// Why the app cannot draw on this terminal; said before anything is drawn.
public enum TerminalUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    case notATerminal
    case termUnset
    case dumbTerminal
    case unknownTerminal(String)

    public var description: String {
        switch self {
        case .notATerminal:
            "Trillium's screens need a terminal (standard input and output must be a TTY); for scripts use a subcommand such as report or verify, see trillium --help"
        case .termUnset:
            "TERM is not set, so the terminal's capabilities are unknown; set TERM (for example TERM=xterm-256color)"
        case .dumbTerminal:
            "TERM=dumb cannot show Trillium's screens; use a terminal that supports cursor movement (for example TERM=xterm-256color)"
        case let .unknownTerminal(name):
            "unknown terminal type \"\(name)\": no terminfo entry for it; set TERM to a known type (for example TERM=xterm-256color)"
        }
    }
}

/// The only code that talks to ncurses. It draws buffers and reads keys.
public final class NcursesTerminal: Terminal {
    public private(set) var isUnicode: Bool
    public private(set) var colorDepth: ColorDepth
    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var pairs: [Int: Int32] = [:]
    private var active = false
    /// What is on the screen now, so a frame writes only the cells that changed.
    private var onScreen: Buffer?
    private var onScreenTheme: Theme?
    /// Keys decoded from one burst and not yet handed out.
    private var pendingKeys: [Key] = []
    private var pendingResize: Size?
    /// The terminal went away (its window was closed, the connection dropped).
    private var isHungUp = false

    /// Checks the terminal before anything is drawn; throws a clear reason if it cannot be used.
    public static func checkAvailable(environment: [String: String]) throws(TerminalUnavailable) {
        guard isatty(0) == 1, isatty(1) == 1 else { throw .notATerminal }
        guard let term = environment["TERM"], !term.isEmpty else { throw .termUnset }
        guard term != "dumb" else { throw .dumbTerminal }
    }

    public init(environment: [String: String]) throws(TerminalUnavailable) {
        try Self.checkAvailable(environment: environment)
        setlocale(LC_ALL, "")
        isUnicode = trillium_is_utf8_locale() != 0
        trillium_save_terminal(0)
        guard let output = fdopen(1, "w"), let input = fdopen(0, "r") else { throw .notATerminal }
        guard let screen = newterm(nil, output, input) else {
            throw .unknownTerminal(environment["TERM"] ?? "")
        }
        self.screen = screen
        active = true
        trillium_install_crash_restore()
        trillium_install_quit_handlers()
        window = trillium_stdscr()
        // raw: Ctrl-C arrives as a key and asks before quitting, as in the rest of the app.
        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        // Always finish a refresh: a half-drawn screen must never be what the operator reads.
        typeahead(-1)
        curs_set(0)
        colorDepth = .monochrome
        if has_colors() {
            start_color()
            use_default_colors()
            colorDepth = ColorDepth(colors: Int(trillium_colors()))
        }
    }

    deinit {
        stop()
    }

    /// Restores the terminal: every way out passes through here.
    public func stop() {
        guard active else { return }
        active = false
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
    }

    public var size: Size {
        Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    public func draw(_ buffer: Buffer, theme: Theme) {
        let size = self.size
        let previous = onScreen?.size == buffer.size && onScreenTheme == theme ? onScreen : nil
        if previous == nil { werase(window) }
        for y in 0..<min(size.height, buffer.size.height) {
            for x in 0..<min(size.width, buffer.size.width) {
                var cell = buffer[x, y]
                // In ASCII a wide character is drawn as "??" over both its cells (see below).
                if cell.isContinuation && isUnicode { continue }
                if let previous, previous[x, y] == cell, x + 1 >= size.width || previous[x + 1, y] == buffer[x + 1, y] { continue }
                let style = theme.resolve(cell.style)
                var attributes = trillium_attr_normal()
                if style.emphasis.contains(.bold) { attributes |= trillium_attr_bold() }
                if style.emphasis.contains(.reverse) { attributes |= trillium_attr_reverse() }
                if style.emphasis.contains(.underline) { attributes |= trillium_attr_underline() }
                if style.emphasis.contains(.dim) { attributes |= trillium_attr_dim() }
                let pair = colorPair(foreground: colorDepth.index(of: style.foreground), background: colorDepth.index(of: style.background))
                if !isUnicode {
                    // The nearest ASCII; a wide character's second cell gets its second half.
                    let fallback = Array(AsciiFallback.text(for: cell.isContinuation && x > 0 ? buffer[x - 1, y].character : cell.character))
                    cell.character = cell.isContinuation ? (fallback.count > 1 ? fallback[1] : " ") : (fallback.first ?? "?")
                    cell.isContinuation = false
                }
                var text = Array(String(cell.character).unicodeScalars.map { wchar_t(bitPattern: $0.value) })
                text.append(0)
                _ = trillium_put_cell(window, Int32(y), Int32(x), text, attributes, pair)
            }
        }
        wnoutrefresh(window)
        doupdate()
        onScreen = buffer
        onScreenTheme = theme
    }

    /// Colour pairs are made as needed and kept: terminals have few of them.
    private func colorPair(foreground: Int, background: Int) -> Int32 {
        guard colorDepth != .monochrome else { return 0 }
        if foreground == -1 && background == -1 { return 0 }
        let key = (foreground + 1) * 1000 + (background + 1)
        if let pair = pairs[key] { return pair }
        let next = Int32(pairs.count + 1)
        guard next < trillium_color_pairs() else { return 0 }
        init_extended_pair(next, Int32(foreground), Int32(background))
        pairs[key] = next
        return next
    }

    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent {
        if trillium_quit_signal() != 0 { return .quitSignal(Int32(trillium_quit_signal())) }
        if !pendingKeys.isEmpty { return .key(pendingKeys.removeFirst()) }
        if pendingResize != nil { return pendingEvent() }
        guard let first = readInput(timeoutMilliseconds: timeoutMilliseconds) else { return pendingEvent() }
        var burst = [first]
        // An ESC starts a sequence whose rest is already waiting: read it all
        // and decode it as one, so no part of it runs as a key of its own.
        if first == .character(0x1B) || first == .character(0x9B) {
            while burst.count < Self.longestBurst, let more = readInput(timeoutMilliseconds: Self.sequenceGapMilliseconds) {
                burst.append(more)
            }
        }
        pendingKeys = KeyDecoder.decode(burst)
        if !pendingKeys.isEmpty { return .key(pendingKeys.removeFirst()) }
        return pendingEvent()
    }

    /// The longest escape sequence read as one; a terminal's longest reports are far shorter.
    private static let longestBurst = 256
    /// How long the rest of a sequence may trail its ESC (the ESCDELAY set above).
    private static let sequenceGapMilliseconds: Int32 = 25

    /// A resize or a quit that arrived while reading, else a timeout.
    private func pendingEvent() -> TerminalEvent {
        if trillium_quit_signal() != 0 { return .quitSignal(Int32(trillium_quit_signal())) }
        // Left as if a SIGHUP had come: the session stays resumable.
        if isHungUp { return .quitSignal(SIGHUP) }
        if let resized = pendingResize {
            pendingResize = nil
            return .resized(resized)
        }
        return .timeout
    }

    /// One character or recognised key, or nil when none came in time.
    private func readInput(timeoutMilliseconds: Int) -> KeyInput? {
        readInput(timeoutMilliseconds: Int32(clamping: timeoutMilliseconds))
    }

    private func readInput(timeoutMilliseconds: Int32) -> KeyInput? {
        wtimeout(window, timeoutMilliseconds)
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if trillium_quit_signal() != 0 { return nil }
        switch result {
        case OK:
            return .character(UInt32(character))
        case KEY_CODE_YES:
            if Int32(character) == KEY_RESIZE {
                onScreen = nil
                pendingResize = size
                return nil
            }
            return .key(Self.key(forCode: Int32(character)) ?? .unrecognized)
        default:
            // A read of a terminal that went away returns at once, for ever,
            // and no SIGHUP need come (a tmux server killed under the app left
            // it drawing and reading in a loop at full speed): ask the input.
            isHungUp = isHungUp || Self.inputIsHungUp()
            return nil
        }
    }

    /// Whether standard input, the terminal, reports a hang-up or an error.
    private static func inputIsHungUp() -> Bool {
        var input = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        guard poll(&input, 1, 0) >= 0 else { return false }
        return input.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    public func bell() {
        beep()
    }

    static func key(forCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_ENTER: .enter
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_BTAB: .backTab
        default: nil
        }
    }
}
