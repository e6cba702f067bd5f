import TrilliumUI

/// What the event loop gets from a terminal.
public enum TerminalEvent: Sendable, Equatable {
    case key(Key)
    case resized(Size)
    case timeout
    /// SIGINT, SIGTERM, SIGHUP or SIGQUIT arrived: leave cleanly.
    case quitSignal(Int32)
}

/// The one thing the app needs from a terminal: draw a buffer, read a key.
/// `NcursesTerminal` is the real one; `HeadlessTerminal` serves the tests.
public protocol Terminal: AnyObject {
    var size: Size { get }
    var isUnicode: Bool { get }
    var colorDepth: ColorDepth { get }
    func draw(_ buffer: Buffer, theme: Theme)
    func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent
    func bell()
}

/// A terminal with no screen: events are scripted, frames are kept.
public final class HeadlessTerminal: Terminal {
    public var size: Size
    public let isUnicode: Bool
    public let colorDepth: ColorDepth
    public private(set) var frames: [Buffer] = []
    public private(set) var bells = 0
    private var events: [TerminalEvent]

    public init(size: Size, events: [TerminalEvent], isUnicode: Bool = true, colorDepth: ColorDepth = .x256) {
        self.size = size
        self.events = events
        self.isUnicode = isUnicode
        self.colorDepth = colorDepth
    }

    public var lastFrame: Buffer? { frames.last }

    public func draw(_ buffer: Buffer, theme: Theme) {
        frames.append(buffer)
    }

    /// The next scripted event; a quit request when the script runs out.
    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent {
        guard !events.isEmpty else { return .quitSignal(15) }
        let event = events.removeFirst()
        if case let .resized(newSize) = event { size = newSize }
        return event
    }

    public func bell() {
        bells += 1
    }
}
