import TrilliumTerminal

extension Terminal {
    /// Waits up to `timeout` for an event, then takes every event already
    /// waiting, so fast typing never waits on the screen. `handle` sees each
    /// one (the timeout that ends the wait included) and returns true to quit.
    /// Returns how the loop must end, or nil to draw and wait again.
    func drainEvents(timeout: Int, _ handle: (TerminalEvent) -> Bool) -> AppRuntime.Exit? {
        var wait = timeout
        while true {
            let event = nextEvent(timeoutMilliseconds: wait)
            if case let .quitSignal(number) = event { return .signal(number) }
            if handle(event) { return .quit }
            if case .timeout = event { return nil }
            wait = 0
        }
    }
}
