/// The keys that scroll a full-screen text (the help, a record in full):
/// one line with the arrows or j/k, ten with the page keys.
enum Scrolling {
    /// The new first line for `key`, or nil when the key does not scroll.
    static func scroll(_ first: Int, by key: Key) -> Int? {
        switch key {
        case .down, .character("j"): first + 1
        case .up, .character("k"): max(0, first - 1)
        case .pageDown: first + 10
        case .pageUp: max(0, first - 10)
        default: nil
        }
    }

    /// Scrolls, or closes (nil) when `key` is the context's back key, or stays.
    static func next(_ first: Int, key: Key, closingIn context: KeyContext) -> Int? {
        if let scrolled = scroll(first, by: key) { return scrolled }
        return KeyMap.action(for: key, in: context, inSession: false) == .back ? nil : first
    }
}
