import TrilliumCore
import TrilliumTerminal
import TrilliumUI

/// The replay viewer's event loop: draw when the screen changed, wait for a
/// key or the next frame, and tell `update` how much real time went by (read
/// from a monotonic clock, so playback keeps the session's own spacing).
public final class ReplayRuntime {
    private let terminal: Terminal
    private let theme: Theme
    /// Nanoseconds on a monotonic clock.
    private let monotonicNow: () -> UInt64
    public private(set) var model: ReplayModel
    private var lastDrawn: Buffer?

    public init(terminal: Terminal, theme: Theme, model: ReplayModel, monotonicNow: @escaping () -> UInt64) {
        self.terminal = terminal
        self.theme = theme
        self.model = model
        self.monotonicNow = monotonicNow
    }

    /// Runs until the viewer quits or a quit signal arrives.
    public func run() -> AppRuntime.Exit {
        var last = monotonicNow()
        while true {
            let frame = ReplayView.render(model)
            if frame != lastDrawn {
                terminal.draw(frame, theme: theme)
                lastDrawn = frame
            }
            let exit = terminal.drainEvents(timeout: model.tickMilliseconds) { event in
                let now = monotonicNow()
                if model.isPlaying {
                    send(.advance(Milliseconds((now &- last) / 1_000_000)))
                    // Keep the sub-millisecond remainder so slow frames never lose time.
                    last = now &- (now &- last) % 1_000_000
                } else {
                    last = now
                }
                switch event {
                case let .key(key): return send(.key(key))
                case let .resized(size): return send(.resized(size))
                case .timeout, .quitSignal: return false
                }
            }
            if let exit { return exit }
        }
    }

    /// True when the message asked to quit.
    @discardableResult
    private func send(_ message: ReplayMessage) -> Bool {
        let (next, effects) = ReplayUpdate.update(model, message)
        model = next
        for effect in effects {
            switch effect {
            case .bell: terminal.bell()
            case .quit: return true
            }
        }
        return false
    }
}
